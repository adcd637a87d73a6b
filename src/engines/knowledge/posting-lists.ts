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
  /** List i is values[offsets[i] .. offsets[i + 1]). */
  offsets: Int32Array;
  values: Int32Array;
}

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

export class PostingLists {
  /** `data.table` and `data.extra` must be sorted: lookups are binary searches, so loading builds nothing. */
  constructor(readonly data: PostingListsData) {}

  /** Flattens lists built as a Map, keyed by `table` (sorted) where it holds the key. */
  static from(lists: ReadonlyMap<string, readonly number[]>, table: string[]): PostingLists {
    const extra = [...lists.keys()].filter((key) => findSorted(table, key) < 0).sort();
    const rows = table.length + extra.length;
    const offsets = new Int32Array(rows + 1);
    let total = 0;
    for (const list of lists.values()) total += list.length;
    const values = new Int32Array(total);
    let at = 0;
    for (let row = 0; row < rows; row++) {
      offsets[row] = at;
      const list = lists.get((row < table.length ? table[row] : extra[row - table.length]) as string);
      if (!list) continue;
      values.set(list, at);
      at += list.length;
    }
    offsets[rows] = at;
    return new PostingLists({ table, extra, offsets, values });
  }

  /** The list of `key` (a view, not a copy), or undefined when it has none. */
  get(key: string): Int32Array | undefined {
    const { table, extra, offsets, values } = this.data;
    let row = findSorted(table, key);
    if (row < 0) {
      const j = findSorted(extra, key);
      if (j < 0) return undefined;
      row = table.length + j;
    }
    const from = offsets[row] as number;
    const to = offsets[row + 1] as number;
    return to > from ? values.subarray(from, to) : undefined;
  }
}
