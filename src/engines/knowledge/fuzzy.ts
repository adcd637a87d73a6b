/** Rows reused by `editDistance` (it runs for hundreds of known words a message): nothing allocated per call. */
let rowA = new Int32Array(32);
let rowB = new Int32Array(32);

/** Bounded Levenshtein distance: returns max + 1 as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2);
    rowB = new Int32Array(b.length * 2);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length] as number;
}

/** How many typos a word of this length may carry: none under 5 letters, one up to 8, then two. */
export function typoBudget(word: string): number {
  const n = [...word].length;
  if (n < 5) return 0;
  return n < 9 ? 1 : 2;
}

/** Every string made from `word` by deleting up to `depth` code units, the word itself included. */
function deletions(word: string, depth: number, out: Set<string>): Set<string> {
  out.add(word);
  if (depth === 0) return out;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(shorter)) deletions(shorter, depth - 1, out);
  }
  return out;
}

/** FNV-1a over UTF-16 code units, folded to 31 bits (non-negative, and room for a word id beside it). */
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}

/** Word ids share a float64 with a 31-bit hash: 22 bits, four million words. */
const ID_LIMIT = 2 ** 22;

/** A hash's top bits pick its bucket; the 16 bits left are kept per pair. */
const BUCKET_BITS = 15;
const LOW_MASK = 0xffff;

/**
 * The deletion index as saved: one (hash, word id) pair per distinct pair of a deletion string's
 * hash and a word it came from, sorted by hash then id, in three arrays: per bucket (the hash's top
 * 15 bits) where its pairs start, and per pair the hash's low 16 bits and the word id (16-bit when
 * there are at most 65,536 words). Hashes, not the strings: the strings were most of the build's
 * time and memory at thousands of entries (tens of millions of them); a hash collision only adds
 * a candidate, which editDistance then rejects. Two or four bytes a pair less than a 32-bit hash
 * and a 32-bit id (millions of pairs in the Thai index at 20,000 entries).
 */
export interface DeletionIndexData {
  /** Bucket b's pairs are [buckets[b], buckets[b + 1]); 2^15 + 1 numbers. */
  buckets: Int32Array;
  low: Uint16Array;
  ids: Uint16Array | Int32Array;
}

/** Every (hash, id) pair of a deletion index, in order (for tests and comparisons). */
export function deletionPairs(data: DeletionIndexData): { hashes: number[]; ids: number[] } {
  const hashes: number[] = [];
  for (let b = 0; b + 1 < data.buckets.length; b++)
    for (let i = data.buckets[b] as number; i < (data.buckets[b + 1] as number); i++)
      hashes.push(b * (LOW_MASK + 1) + (data.low[i] as number));
  return { hashes, ids: [...data.ids] };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Calls `emit` with hash31 of every string made from `word` by deleting up to `depth` (at most
 * two) code units, the word itself included — the strings `deletions` makes, hashed without
 * building them (a string may come more than once: deleting either of two equal neighbours).
 */
function eachDeletionHash(word: string, depth: number, emit: (hash: number) => void): void {
  const n = word.length;
  // prefix[i]: the hash state after the first i code units.
  const prefix = new Int32Array(n + 1);
  prefix[0] = FNV_OFFSET;
  for (let k = 0; k < n; k++)
    prefix[k + 1] = Math.imul((prefix[k] as number) ^ word.charCodeAt(k), FNV_PRIME);
  const rest = (state: number, from: number): number => {
    let h = state;
    for (let k = from; k < n; k++) h = Math.imul(h ^ word.charCodeAt(k), FNV_PRIME);
    return h >>> 1;
  };
  emit((prefix[n] as number) >>> 1);
  if (depth === 0) return;
  for (let i = 0; i < n; i++) {
    emit(rest(prefix[i] as number, i + 1));
    if (depth < 2) continue;
    // Units i and j (j > i) deleted: the units between them are hashed once, in order.
    let h = prefix[i] as number;
    for (let j = i + 1; j < n; j++) {
      emit(rest(h, j + 1));
      h = Math.imul(h ^ word.charCodeAt(j), FNV_PRIME);
    }
  }
}

/** How many hashes eachDeletionHash emits for a word of `n` units at `depth`. */
function deletionCount(n: number, depth: number): number {
  if (depth === 0) return 1;
  return depth === 1 ? 1 + n : 1 + n + (n * (n - 1)) / 2;
}

/** A word's deletion depth: a query of 5+ letters allows one typo (a known word of 4+ units may match), of 9+ two (7+). */
function depthOf(word: string): number {
  return word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
}

function buildDeletionIndex(vocabulary: readonly string[]): DeletionIndexData {
  if (vocabulary.length >= ID_LIMIT) throw new Error(`typo index: over ${ID_LIMIT} words`);
  // Counted first, so the pairs' buffer has its exact size (no doubling: less for malloc to keep).
  let total = 0;
  for (const word of vocabulary) {
    const depth = depthOf(word);
    if (depth > 0) total += deletionCount(word.length, depth);
  }
  const pairs = new Float64Array(total);
  let count = 0;
  let id = 0;
  // Repeated (hash, word) pairs are dropped below, after sorting.
  const emit = (hash: number): void => {
    pairs[count++] = hash * ID_LIMIT + id;
  };
  for (; id < vocabulary.length; id++) {
    const word = vocabulary[id] as string;
    const depth = depthOf(word);
    if (depth > 0) eachDeletionHash(word, depth, emit);
  }
  const sorted = pairs.sort();
  let n = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  const buckets = new Int32Array((1 << BUCKET_BITS) + 1);
  const low = new Uint16Array(n);
  const ids = vocabulary.length <= 65_536 ? new Uint16Array(n) : new Int32Array(n);
  n = 0;
  for (let i = 0; i < count; i++) {
    const pair = sorted[i] as number;
    if (i > 0 && pair === sorted[i - 1]) continue;
    const h = Math.floor(pair / ID_LIMIT);
    const bucket = h >>> 16;
    buckets[bucket + 1] = (buckets[bucket + 1] as number) + 1;
    low[n] = h & LOW_MASK;
    ids[n++] = pair - h * ID_LIMIT;
  }
  for (let b = 0; b < 1 << BUCKET_BITS; b++)
    buckets[b + 1] = (buckets[b + 1] as number) + (buckets[b] as number);
  return { buckets, low, ids };
}

/** The words a typo index knows: its own list, or ids into an index's sorted term array (shared). */
export interface TypoWords {
  /** The index's terms (sorted). */
  table: readonly string[];
  /** The words, in the order they are numbered (first met), as places in `table`. */
  ids: Int32Array;
}

/**
 * Finds the known words within a word's typo budget without scanning the vocabulary (a
 * symmetric-delete index: two strings within edit distance k share a string made by at most k
 * deletions from each). Candidates are confirmed with editDistance, so the result is exactly the
 * words a full scan would find, in vocabulary order.
 */
export class TypoIndex {
  private readonly byDeletion: DeletionIndexData;
  private readonly words: TypoWords | undefined;
  private readonly vocabulary: readonly string[] | undefined;

  /**
   * Indexes `vocabulary` (a list of words, or ids into an index's term array), or takes an index
   * built before (`saved`, from the index cache).
   */
  constructor(vocabulary: readonly string[] | TypoWords, saved?: DeletionIndexData) {
    if (Array.isArray(vocabulary)) this.vocabulary = vocabulary;
    else this.words = vocabulary as TypoWords;
    this.byDeletion = saved ?? buildDeletionIndex(this.wordList());
  }

  /** Word `id` of the vocabulary. */
  private word(id: number): string {
    return (
      this.vocabulary ? this.vocabulary[id] : this.words?.table[this.words.ids[id] as number]
    ) as string;
  }

  /** Every word, in vocabulary order. */
  private wordList(): readonly string[] {
    if (this.vocabulary) return this.vocabulary;
    return Array.from(this.words?.ids ?? [], (_, i) => this.word(i));
  }

  /**
   * The word ids (into the index's term array; none for an index over a list of words) and the
   * deletion index, for the index cache.
   */
  state(): { words: Int32Array; byDeletion: DeletionIndexData } {
    return { words: this.words?.ids ?? new Int32Array(0), byDeletion: this.byDeletion };
  }

  /** The ids of the words with a deletion hashing to hash31(deletion), or none. */
  private idsOf(deletion: string): Uint16Array | Int32Array | undefined {
    const { buckets, low, ids } = this.byDeletion;
    const h = hash31(deletion);
    const bucket = h >>> 16;
    const l = h & LOW_MASK;
    // The first pair of the bucket with these low bits, then every pair after it with the same.
    let lo = buckets[bucket] as number;
    let hi = buckets[bucket + 1] as number;
    const last = hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((low[mid] as number) < l) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < last && low[end] === l) end++;
    return end > lo ? ids.subarray(lo, end) : undefined;
  }

  /** Known words within typoBudget(word) edits of `word`, each with its distance. */
  matches(word: string): Array<{ word: string; distance: number }> {
    const budget = typoBudget(word);
    if (budget === 0) return [];
    const ids = new Set<number>();
    for (const d of deletions(word, budget, new Set())) {
      for (const id of this.idsOf(d) ?? []) ids.add(id);
    }
    const out: Array<{ word: string; distance: number; id: number }> = [];
    for (const id of ids) {
      const known = this.word(id);
      const distance = editDistance(word, known, budget);
      if (distance <= budget) out.push({ word: known, distance, id });
    }
    out.sort((a, b) => a.id - b.id);
    return out.map(({ word: w, distance }) => ({ word: w, distance }));
  }
}
