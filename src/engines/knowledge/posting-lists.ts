/**
 * Lists of numbers by string key, stored flat (typed arrays), so that an index with hundreds of
 * thousands of lists saves and loads as a few large arrays, not as as many small objects (the index
 * cache's load time is mostly object count). The keys are the index's own sorted term array
 * (shared, not copied: a list is found by its term's id) and, sorted beside it, the few keys that
 * are not index terms (words of the off-topic examples only).
 */
export interface PostingListsData {
  /** The index's terms, sorted: list i (i < table.length) is the list of table[i], maybe empty. */
  table: string[];
  /** Sorted keys not in `table`: list table.length + j is the list of extra[j]. */
  extra: string[];
  /**
   * List i is codes[offsets[i] .. offsets[i + 1]): each list ascending, each number coded as its
   * distance from the one before (from -1 for the first) less one, in 16 bits, or, when that is
   * 65,535 or more, ESCAPE and the number itself in two 16-bit halves. Lists of example numbers
   * (up to a few hundred thousand) take about half the bytes of 32-bit numbers.
   */
  offsets: Int32Array;
  codes: Uint16Array;
}

const ESCAPE = 0xffff;

/** The position of `key` in `sorted` (ascending, as Array.prototype.sort orders strings), or -1. */
export function findSorted(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid] as string;
    if (at === key) return mid;
    if (at < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** How many codes an ascending list takes: one per gap, three for a gap of ESCAPE or more. */
function unitsOf(list: readonly number[]): number {
  let units = 0;
  let previous = -1;
  for (const value of list) {
    units += value - previous - 1 < ESCAPE ? 1 : 3;
    previous = value;
  }
  return units;
}

/** Writes an ascending list's codes into `codes` from `at`; returns where the next list starts. */
function encodeList(codes: Uint16Array, at: number, list: readonly number[]): number {
  let previous = -1;
  for (const value of list) {
    if (value <= previous) throw new Error('posting lists: a list is not ascending');
    const gap = value - previous - 1;
    if (gap < ESCAPE) codes[at++] = gap;
    else {
      codes[at++] = ESCAPE;
      codes[at++] = value >>> 16;
      codes[at++] = value & 0xffff;
    }
    previous = value;
  }
  return at;
}

export class PostingLists {
  /** `data.table` and `data.extra` must be sorted: lookups are binary searches, so loading builds nothing. */
  constructor(readonly data: PostingListsData) {}

  /** Flattens lists built as a Map (each list ascending), keyed by `table` (sorted) where it holds the key. */
  static from(lists: ReadonlyMap<string, readonly number[]>, table: string[]): PostingLists {
    const byRow: Array<readonly number[] | undefined> = new Array(table.length);
    const others = new Map<string, readonly number[]>();
    for (const [key, list] of lists) {
      const row = findSorted(table, key);
      if (row < 0) others.set(key, list);
      else byRow[row] = list;
    }
    return PostingLists.fromRows(table, byRow, others);
  }

  /** Flattens lists (each ascending) by row of `table` (sorted) and, beside it, by other keys. */
  static fromRows(
    table: string[],
    byRow: ReadonlyArray<readonly number[] | undefined>,
    others: ReadonlyMap<string, readonly number[]>,
  ): PostingLists {
    const extra = [...others.keys()].sort();
    const rows = table.length + extra.length;
    const listOf = (row: number) =>
      row < table.length ? byRow[row] : others.get(extra[row - table.length] as string);
    // Counted first: the codes' array gets its exact size.
    let total = 0;
    for (let row = 0; row < rows; row++) total += unitsOf(listOf(row) ?? []);
    const offsets = new Int32Array(rows + 1);
    const codes = new Uint16Array(total);
    let at = 0;
    for (let row = 0; row < rows; row++) {
      offsets[row] = at;
      at = encodeList(codes, at, listOf(row) ?? []);
    }
    offsets[rows] = at;
    return new PostingLists({ table, extra, offsets, codes });
  }

  /**
   * The same lists as fromRows, without holding them as arrays: `walk` is called twice and must make
   * the same `add(key, value)` calls both times, each key's values ascending; a key is a row of
   * `table` (sorted) or, for the few keys not in it, the key itself. The first walk counts, the second
   * writes each number straight into the flat codes (at 20,000 entries the lists of a language's
   * examples held millions of numbers as arrays).
   */
  static fromWalk(
    table: string[],
    walk: (add: (key: number | string, value: number) => void) => void,
  ): PostingLists {
    const n = table.length;
    const units = new Int32Array(n + 1);
    const previous = new Int32Array(n).fill(-1);
    const others = new Map<string, number[]>();
    walk((key, value) => {
      if (typeof key === 'string') {
        const list = others.get(key);
        if (list) list.push(value);
        else others.set(key, [value]);
        return;
      }
      const before = previous[key] as number;
      if (value <= before) throw new Error('posting lists: a list is not ascending');
      units[key] = (units[key] as number) + (value - before - 1 < ESCAPE ? 1 : 3);
      previous[key] = value;
    });
    const extra = [...others.keys()].sort();
    let total = 0;
    for (let row = 0; row < n; row++) total += units[row] as number;
    for (const list of others.values()) total += unitsOf(list);
    const offsets = new Int32Array(n + extra.length + 1);
    const codes = new Uint16Array(total);
    // Each table row's place to write at, then the extra keys' lists after them.
    const at = new Int32Array(n);
    let end = 0;
    for (let row = 0; row < n; row++) {
      offsets[row] = end;
      at[row] = end;
      end += units[row] as number;
    }
    const put = (row: number, value: number): void => {
      const gap = value - (previous[row] as number) - 1;
      let i = at[row] as number;
      if (gap < ESCAPE) codes[i++] = gap;
      else {
        codes[i++] = ESCAPE;
        codes[i++] = value >>> 16;
        codes[i++] = value & 0xffff;
      }
      at[row] = i;
      previous[row] = value;
    };
    previous.fill(-1);
    walk((key, value) => {
      if (typeof key === 'number') put(key, value);
    });
    extra.forEach((key, j) => {
      offsets[n + j] = end;
      end = encodeList(codes, end, others.get(key) ?? []);
    });
    offsets[n + extra.length] = end;
    return new PostingLists({ table, extra, offsets, codes });
  }

  /** The list of `key` (a new array), or undefined when it has none. */
  get(key: string): Int32Array | undefined {
    const { table, extra, offsets, codes } = this.data;
    let row = findSorted(table, key);
    if (row < 0) {
      const j = findSorted(extra, key);
      if (j < 0) return undefined;
      row = table.length + j;
    }
    const from = offsets[row] as number;
    const to = offsets[row + 1] as number;
    if (to <= from) return undefined;
    // Decoded straight into the list's own array (at most one number per code).
    const list = new Int32Array(to - from);
    let n = 0;
    let previous = -1;
    for (let i = from; i < to; i++) {
      const code = codes[i] as number;
      if (code === ESCAPE) {
        previous = (((codes[i + 1] as number) << 16) | (codes[i + 2] as number)) >>> 0;
        i += 2;
      } else previous += code + 1;
      list[n++] = previous;
    }
    return n === list.length ? list : list.subarray(0, n);
  }
}
