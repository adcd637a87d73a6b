/**
 * A small multinomial logistic-regression classifier over a question's analyzed terms, trained at
 * load time on the knowledge base's own phrasings (each entry's questions and title are examples of
 * that entry; the off-topic examples are examples of OFF_TOPIC). It learns which words tell close
 * entries apart (koban-duties vs koban-what-is), which word overlap alone cannot, and what an
 * off-topic question looks like. Deterministic: the same examples give the same model.
 */
import { seededRandom } from '../../core/seeded-random.js';

/** The label of the off-topic class. */
export const OFF_TOPIC = '\u0000off-topic';

export interface TrainingExample {
  features: readonly string[];
  label: string;
}

/** Chosen with `koban eval` on the development set; see docs/quality.md. */
export const CLASSIFIER_TRAINING = {
  epochs: 15,
  learningRate: 0.5,
  /** L2 regularisation: keeps probabilities from becoming certain on a single shared word. */
  l2: 1e-3,
  seed: 20_061_985,
};

const MIN_GRADIENT = 1e-3;

/** A trained model, as saved in the index cache. */
export interface ClassifierState {
  labels: string[];
  featureIds: Map<string, number>;
  weights: Float32Array;
  bias: Float32Array;
}

export class EntryClassifier {
  readonly labels: string[];
  private readonly featureIds: Map<string, number> = new Map();
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;

  /** Trains on `examples`, or takes a model trained before (`saved`, from the index cache). */
  constructor(examples: readonly TrainingExample[], options = CLASSIFIER_TRAINING, saved?: ClassifierState) {
    if (saved) {
      this.labels = saved.labels;
      this.featureIds = saved.featureIds;
      this.weights = saved.weights;
      this.bias = saved.bias;
      return;
    }
    this.labels = [...new Set(examples.map((e) => e.label))];
    const labelIds = new Map(this.labels.map((l, i) => [l, i]));
    const data = examples.map((e) => ({
      x: Int32Array.from(new Set(e.features), (f) => this.featureId(f)),
      y: labelIds.get(e.label) ?? 0,
    }));
    const K = this.labels.length;
    this.weights = new Float32Array(this.featureIds.size * K);
    this.bias = new Float32Array(K);
    if (K < 2) return;
    const random = seededRandom(options.seed);
    const weights = this.weights;
    const bias = this.bias;
    const l2 = options.l2;
    const p = new Float64Array(K);
    const grad = new Float64Array(K);
    const classes = new Int32Array(K);
    const order = Int32Array.from(data.keys());
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const rate = options.learningRate / (1 + epoch * 0.2);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      for (let n = 0; n < order.length; n++) {
        const { x, y } = data[order[n] as number] as (typeof data)[number];
        this.scores(x, p);
        softmax(p);
        // Gradient of the log loss; classes the model already rules out barely move, and skipping
        // them makes training several times faster.
        let active = 0;
        for (let k = 0; k < K; k++) {
          const g = (p[k] as number) - (k === y ? 1 : 0);
          if (g < MIN_GRADIENT && g > -MIN_GRADIENT) continue;
          grad[active] = g;
          classes[active++] = k;
          bias[k] = (bias[k] as number) - rate * g;
        }
        for (let i = 0; i < x.length; i++) {
          const row = (x[i] as number) * K;
          for (let a = 0; a < active; a++) {
            const w = row + (classes[a] as number);
            const v = weights[w] as number;
            weights[w] = v - rate * ((grad[a] as number) + l2 * v);
          }
        }
      }
    }
  }

  /** The trained model, for the index cache. */
  state(): ClassifierState {
    return { labels: this.labels, featureIds: this.featureIds, weights: this.weights, bias: this.bias };
  }

  private featureId(feature: string): number {
    let id = this.featureIds.get(feature);
    if (id === undefined) {
      id = this.featureIds.size;
      this.featureIds.set(feature, id);
    }
    return id;
  }

  private scores(x: Int32Array, out: Float64Array): void {
    const K = this.labels.length;
    const weights = this.weights;
    for (let k = 0; k < K; k++) out[k] = this.bias[k] as number;
    for (let i = 0; i < x.length; i++) {
      const row = (x[i] as number) * K;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (weights[row + k] as number);
    }
  }

  /**
   * The probability of every label for a question's terms (unknown terms are ignored). Empty when
   * there is only one label: the classifier then knows nothing that word overlap does not.
   */
  predict(features: readonly string[]): Map<string, number> {
    if (this.labels.length < 2) return new Map();
    const ids = new Set<number>();
    for (const f of features) {
      const id = this.featureIds.get(f);
      if (id !== undefined) ids.add(id);
    }
    const p = new Float64Array(this.labels.length);
    this.scores(Int32Array.from(ids), p);
    softmax(p);
    return new Map(this.labels.map((label, k) => [label, p[k] as number]));
  }
}

function softmax(v: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < v.length; k++) if ((v[k] as number) > max) max = v[k] as number;
  let sum = 0;
  for (let k = 0; k < v.length; k++) {
    const e = Math.exp((v[k] as number) - max);
    v[k] = e;
    sum += e;
  }
  for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) / sum;
}
