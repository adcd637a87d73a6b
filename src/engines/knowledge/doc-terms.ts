/**
 * The terms of an index (interned: each distinct term gets one string, and an id: its place in the
 * sorted list of terms) and, per document, which of them it holds and whether in its lead fields
 * (questions, title, tags) — in typed arrays instead of a Set of strings per document, which at
 * thousands of entries was most of an index's memory (millions of small Set entries, each term
 * string repeated per document). Terms are one sorted array, not a Map: the compiled postings,
 * the typo index and the examples' lists refer to the same array, so an index holds (and its
 * cache file saves) each term's string once; a Map of them was as large again.
 */
import { findSorted } from './posting-lists.js';

/** As saved in the index cache. */
export interface DocTermsData {
  /** The distinct terms, sorted (ascending, as Array.prototype.sort orders strings); a term's id is its place here. */
  terms: string[];
  /** Number of documents holding each term, by id. */
  df: Int32Array;
  /** Document d's terms: codes[offsets[d] .. offsets[d + 1]), each id * 2 + (1 if lead), ascending. */
  offsets: Int32Array;
  codes: Int32Array;
}

/** Term -> id lookups in a sorted term array (a binary search), as a Map's get and has would answer. */
export class SortedTerms {
  /**
   * The last few thousand look-ups (a question asks for the same terms many times: its units, typo
   * matches, query and each hit's coverage), so a repeated one costs a Map look-up, not a search.
   */
  private readonly recent = new Map<string, number>();

  constructor(readonly terms: readonly string[]) {}

  private find(term: string): number {
    let id = this.recent.get(term);
    if (id === undefined) {
      id = findSorted(this.terms, term);
      if (this.recent.size >= 4096) this.recent.clear();
      this.recent.set(term, id);
    }
    return id;
  }

  get(term: string): number | undefined {
    const id = this.find(term);
    return id < 0 ? undefined : id;
  }

  has(term: string): boolean {
    return this.find(term) >= 0;
  }

  get size(): number {
    return this.terms.length;
  }
}

/** Adds `n` to a typed array's length when full, as a list's push would. */
function grown(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class DocTermsBuilder {
  private readonly termIds = new Map<string, number>();
  /** The interned terms, by id. */
  readonly vocabulary: string[] = [];
  private df = new Int32Array(1024);
  /** stamp[id] = document + 1 once the current document holds the term. */
  private stamp = new Int32Array(1024);
  private readonly offsets: number[] = [0];
  private codes = new Int32Array(1024);
  private count = 0;

  /**
   * Adds the next document, its fields in order; `leadFields` of them (the first ones) are lead.
   * Replaces each term in `fields` by its interned string, so the analysed copies can be freed.
   */
  add(fields: string[][], leadFields: number): void {
    const doc = this.offsets.length;
    const start = this.count;
    fields.forEach((terms, f) => {
      const lead = f < leadFields ? 1 : 0;
      for (let k = 0; k < terms.length; k++) {
        const term = terms[k] as string;
        let id = this.termIds.get(term);
        if (id === undefined) {
          id = this.vocabulary.length;
          this.termIds.set(term, id);
          this.vocabulary.push(term);
          this.df = grown(this.df, id + 1);
          this.stamp = grown(this.stamp, id + 1);
        } else terms[k] = this.vocabulary[id] as string;
        if (this.stamp[id] === doc) continue;
        this.stamp[id] = doc;
        this.df[id] = (this.df[id] as number) + 1;
        this.codes = grown(this.codes, this.count + 1);
        // Lead fields come first: a term first met in one of them is lead, otherwise it is not.
        this.codes[this.count++] = id * 2 + lead;
      }
    });
    this.codes.subarray(start, this.count).sort();
    this.offsets.push(this.count);
  }

  /** Sorted ids by first-met number, once built. */
  private rank: Int32Array | undefined;

  /** A term's first-met number (its place in `vocabulary`), if a document added so far holds it. */
  numberOf(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** The sorted id of the term first met as number `n`; after build() only. */
  idOfNumber(n: number): number {
    return this.rank?.[n] as number;
  }

  /** A term's sorted id (its place in the built `terms`), by a Map look-up; after build() only. */
  idOf(term: string): number | undefined {
    const id = this.termIds.get(term);
    return id === undefined ? undefined : (this.rank?.[id] as number);
  }

  /**
   * The terms sorted, with document frequencies and codes by sorted id, and `rank`: each term's
   * sorted id by its first-met number (its place in `vocabulary`). `order` (sorted place -> first-met
   * number), when the caller already has it (the compiled postings sort the same terms), saves the sort.
   */
  build(order?: ArrayLike<number>): DocTermsData & { rank: Int32Array } {
    const n = this.vocabulary.length;
    const vocabulary = this.vocabulary;
    const sortedOrder =
      order ??
      Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const x = vocabulary[a] as string;
        const y = vocabulary[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    const rank = new Int32Array(n);
    const terms = new Array<string>(n);
    const df = new Int32Array(n);
    for (let sorted = 0; sorted < n; sorted++) {
      const id = sortedOrder[sorted] as number;
      rank[id] = sorted;
      terms[sorted] = vocabulary[id] as string;
      df[sorted] = this.df[id] as number;
    }
    this.rank = rank;
    const offsets = Int32Array.from(this.offsets);
    const codes = this.codes.slice(0, this.count);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      codes[i] = (rank[code >> 1] as number) * 2 + (code & 1);
    }
    for (let d = 0; d + 1 < offsets.length; d++)
      codes.subarray(offsets[d] as number, offsets[d + 1] as number).sort();
    return { terms, df, offsets, codes, rank };
  }
}

/** Whether document `doc` holds term `id`: 0 no, 1 yes (not in its lead fields), 2 in its lead fields. */
export function docHolds(data: Pick<DocTermsData, 'offsets' | 'codes'>, doc: number, id: number): 0 | 1 | 2 {
  const { offsets, codes } = data;
  let lo = offsets[doc] as number;
  let hi = (offsets[doc + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const code = codes[mid] as number;
    const at = code >> 1;
    if (at === id) return (code & 1) === 1 ? 2 : 1;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
