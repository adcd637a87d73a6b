/**
 * The entries' phrasings (each question and title, an example for the classifiers and for the
 * nearest-example signal) while an index is built, held compactly: each phrasing's terms as the
 * build's first-met term numbers (DocTermsBuilder) in one flat typed array, instead of an array of
 * strings per phrasing, each string the analyser's own copy of a term the index already holds. At
 * 20,000 entries a language has some 160,000 phrasings and millions of terms: as arrays of their
 * own strings they were a large part of a build's peak memory.
 */
import type { DocTermsBuilder } from './doc-terms.js';
import type { TrainingExample } from './entry-classifier.js';

export class ExampleTerms {
  /** Each phrasing's terms in order, repeats kept: a first-met number, or -1 - k for extra[k]. */
  private codes = new Int32Array(4096);
  private count = 0;
  /** Where each phrasing's codes end. */
  private ends = new Int32Array(1024);
  readonly labels: string[] = [];
  /** Terms no document held yet when their phrasing was added (numbered -1, -2, ...). */
  private readonly extra: string[] = [];
  private readonly extraCodes = new Map<string, number>();

  constructor(private readonly docTerms: DocTermsBuilder) {}

  get length(): number {
    return this.labels.length;
  }

  /** Adds a phrasing of `label`; its terms should be in the documents added so far (others are kept aside). */
  add(features: readonly string[], label: string): void {
    if (this.count + features.length > this.codes.length) {
      const grown = new Int32Array(Math.max(this.count + features.length, this.codes.length * 2));
      grown.set(this.codes.subarray(0, this.count));
      this.codes = grown;
    }
    for (const term of features) {
      let code = this.docTerms.numberOf(term);
      if (code === undefined) {
        code = this.extraCodes.get(term);
        if (code === undefined) {
          code = -1 - this.extra.length;
          this.extra.push(term);
          this.extraCodes.set(term, code);
        }
      }
      this.codes[this.count++] = code;
    }
    const i = this.labels.length;
    if (i >= this.ends.length) {
      const grown = new Int32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[i] = this.count;
    this.labels.push(label);
  }

  private termOf(code: number): string {
    return code >= 0 ? (this.docTerms.vocabulary[code] as string) : (this.extra[-1 - code] as string);
  }

  /** Phrasing `i` as a training example (its terms in order, repeats kept). */
  example(i: number, label = this.labels[i] as string): TrainingExample {
    const from = i === 0 ? 0 : (this.ends[i - 1] as number);
    const to = this.ends[i] as number;
    const features = new Array<string>(to - from);
    for (let k = from; k < to; k++) features[k - from] = this.termOf(this.codes[k] as number);
    return { features, label };
  }

  /**
   * Calls `visit` with each phrasing's distinct terms in the order first met (as `new Set(features)`
   * iterates them): the term's sorted id after the build (DocTermsBuilder.build), or the term itself
   * when no document holds it.
   */
  forEachDistinct(visit: (i: number, terms: Array<number | string>) => void): void {
    const seen = new Int32Array(this.docTerms.vocabulary.length);
    const terms: Array<number | string> = [];
    const others = new Set<string>();
    let from = 0;
    for (let i = 0; i < this.labels.length; i++) {
      const to = this.ends[i] as number;
      terms.length = 0;
      others.clear();
      for (let k = from; k < to; k++) {
        const code = this.codes[k] as number;
        if (code >= 0) {
          if (seen[code] === i + 1) continue;
          seen[code] = i + 1;
          terms.push(this.docTerms.idOfNumber(code));
          continue;
        }
        // A term kept aside may have been met in a later document.
        const term = this.extra[-1 - code] as string;
        const n = this.docTerms.numberOf(term);
        if (n === undefined) {
          if (others.has(term)) continue;
          others.add(term);
          terms.push(term);
        } else {
          if (seen[n] === i + 1) continue;
          seen[n] = i + 1;
          terms.push(this.docTerms.idOfNumber(n));
        }
      }
      visit(i, terms);
      from = to;
    }
  }

  /** Frees the codes (after the last forEachDistinct). */
  clear(): void {
    this.codes = new Int32Array(0);
    this.count = 0;
  }
}
