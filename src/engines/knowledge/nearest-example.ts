/**
 * The nearest-example check's search: over the examples sharing a term with a question, the best
 * rarity-weighted overlap (Dice: 2 x shared weight / (question's weight + example's weight)) among
 * the entries' phrasings and among the off-topic examples. With many postings it prunes (MaxScore):
 * terms rarest-first, and once the terms left could not lift a phrasing not met yet to the best
 * phrasing so far, only the phrasings that still could are followed (by binary search in the long
 * lists of common words), while the off-topic examples (few, at both ends of every list) are always
 * walked. The best of each kind is then summed again exactly as the full walk sums it (in the
 * question's term order), so the result is the same number, not merely close.
 */

/** One distinct question term: its weight (idf) and the ascending examples holding it. */
export interface NearestTerm {
  idf: number;
  list: Int32Array | undefined;
}

/** Reused per-question arrays, sized to the examples (zeroed again after each question). */
export interface NearestScratch {
  shared: Float64Array;
  seen: Uint8Array;
  met: Int32Array;
}

/** Below this many postings the full walk costs less than the pruning's bookkeeping. */
export const NEAREST_PRUNE_FROM = 4096;
/** Relative slack on the bounds, far above floating-point error. */
const SLACK = 1e-9;

export function nearestScratch(examples: number): NearestScratch {
  return {
    shared: new Float64Array(examples),
    seen: new Uint8Array(examples),
    met: new Int32Array(examples),
  };
}

/**
 * The entries' phrasings' range [from, to) in example order, when every off-topic example lies
 * outside it (the index puts the off-topic examples first and the errands last); else undefined.
 */
export function phrasingRange(offTopic: Uint8Array): { from: number; to: number } | undefined {
  let from = 0;
  while (from < offTopic.length && offTopic[from] === 1) from++;
  let to = offTopic.length;
  while (to > from && offTopic[to - 1] === 1) to--;
  for (let i = from; i < to; i++) if (offTopic[i] === 1) return undefined;
  return { from, to };
}

/** The best similarity of each kind; `terms` in the question's order, `weight` their idfs' sum. */
export function nearestExamples(
  terms: readonly NearestTerm[],
  weight: number,
  exampleWeights: Float64Array,
  offTopic: Uint8Array,
  range: { from: number; to: number } | undefined,
  scratch: NearestScratch,
  pruneFrom = NEAREST_PRUNE_FROM,
): { offTopic: number; entry: number } {
  let postings = 0;
  for (const { list } of terms) postings += list?.length ?? 0;
  if (range === undefined || postings < pruneFrom)
    return walkAll(terms, weight, exampleWeights, offTopic, scratch);
  const { shared, seen, met } = scratch;
  let metCount = 0;
  const best = { offTopic: 0, entry: 0 };
  const add = (i: number, idf: number) => {
    if (seen[i] === 0) {
      seen[i] = 1;
      met[metCount++] = i;
    }
    const s = (shared[i] as number) + idf;
    shared[i] = s;
    const similarity = (2 * s) / (weight + (exampleWeights[i] as number));
    if (offTopic[i]) {
      if (similarity > best.offTopic) best.offTopic = similarity;
    } else if (similarity > best.entry) best.entry = similarity;
  };
  const order = terms
    .map((term, k) => ({ ...term, k }))
    .filter((term): term is NearestTerm & { k: number; list: Int32Array } => term.list !== undefined)
    .sort((a, b) => b.idf - a.idf || a.k - b.k);
  const rest = new Float64Array(order.length + 1);
  for (let k = order.length - 1; k >= 0; k--) rest[k] = (rest[k + 1] as number) + (order[k]?.idf as number);
  // Rarest first, every example, until no phrasing met later could reach the best phrasing so far
  // (its shared weight is at most what is left, and 2s / (weight + s) grows with s).
  let taken = 0;
  for (; taken < order.length; taken++) {
    const left = (rest[taken] as number) * (1 + SLACK);
    if (taken > 0 && (2 * left) / (weight + left) < best.entry * (1 - SLACK)) break;
    const { list, idf } = order[taken] as { list: Int32Array; idf: number };
    for (let j = 0; j < list.length; j++) add(list[j] as number, idf);
  }
  if (taken < order.length) {
    // The phrasings met that could still reach it with every term left.
    const left = (rest[taken] as number) * (1 + SLACK);
    const live: number[] = [];
    for (let m = 0; m < metCount; m++) {
      const i = met[m] as number;
      if (offTopic[i]) continue;
      const w = exampleWeights[i] as number;
      const most = Math.min((shared[i] as number) + left, w * (1 + SLACK));
      if ((2 * most) / (weight + w) >= best.entry * (1 - SLACK)) live.push(i);
    }
    for (let t = taken; t < order.length; t++) {
      const { list, idf } = order[t] as { list: Int32Array; idf: number };
      const a = lowerBound(list, 0, list.length, range.from);
      const b = lowerBound(list, a, list.length, range.to);
      // Off-topic examples: all of them, as in the full walk.
      for (let j = 0; j < a; j++) add(list[j] as number, idf);
      for (let j = b; j < list.length; j++) add(list[j] as number, idf);
      // Phrasings: only the live ones, looked up when that is cheaper than walking.
      if (live.length * Math.log2(b - a + 2) < b - a) {
        for (const i of live) if (find(list, a, b, i)) add(i, idf);
      } else {
        for (let j = a; j < b; j++) {
          const i = list[j] as number;
          if (seen[i] === 1) add(i, idf);
        }
      }
    }
  }
  // The best of each kind, summed again as the full walk sums it: those within rounding of the best.
  const exact = { offTopic: 0, entry: 0 };
  for (let m = 0; m < metCount; m++) {
    const i = met[m] as number;
    const w = exampleWeights[i] as number;
    const approx = (2 * (shared[i] as number)) / (weight + w);
    shared[i] = 0;
    seen[i] = 0;
    const kind = offTopic[i] ? 'offTopic' : 'entry';
    if (approx < best[kind] * (1 - SLACK)) continue;
    let s = 0;
    for (const { list, idf } of terms) if (list && find(list, 0, list.length, i)) s += idf;
    const similarity = (2 * s) / (weight + w);
    if (similarity > exact[kind]) exact[kind] = similarity;
  }
  return exact;
}

/** Every posting, in the question's term order. */
function walkAll(
  terms: readonly NearestTerm[],
  weight: number,
  exampleWeights: Float64Array,
  offTopic: Uint8Array,
  { shared, met }: NearestScratch,
): { offTopic: number; entry: number } {
  const nearest = { offTopic: 0, entry: 0 };
  let metCount = 0;
  for (const { list, idf } of terms) {
    if (!list) continue;
    for (let k = 0; k < list.length; k++) {
      const i = list[k] as number;
      const sum = shared[i] as number;
      if (sum === 0) met[metCount++] = i;
      shared[i] = sum + idf;
    }
  }
  for (let m = 0; m < metCount; m++) {
    const i = met[m] as number;
    const similarity = (2 * (shared[i] as number)) / (weight + (exampleWeights[i] as number));
    shared[i] = 0;
    if (offTopic[i]) {
      if (similarity > nearest.offTopic) nearest.offTopic = similarity;
    } else if (similarity > nearest.entry) nearest.entry = similarity;
  }
  return nearest;
}

/** The first position in the ascending `list[from..to)` holding a value >= `value`. */
function lowerBound(list: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function find(list: Int32Array, from: number, to: number, value: number): boolean {
  const at = lowerBound(list, from, to, value);
  return at < to && list[at] === value;
}
