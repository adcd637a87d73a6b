/**
 * Lists of numbers by string key, stored flat (one key array and two typed arrays), so that an
 * index with hundreds of thousands of lists saves and loads as a few large arrays, not as as many
 * small objects (the index cache's load time is mostly object count).
 */
export interface PostingListsData {
  /** Sorted. */
  keys: string[];
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
  /** `data.keys` must be sorted: lookups are binary searches, so loading builds nothing. */
  constructor(readonly data: PostingListsData) {}

  /** Flattens lists built as a Map. */
  static from(lists: ReadonlyMap<string, readonly number[]>): PostingLists {
    const keys = [...lists.keys()].sort();
    const offsets = new Int32Array(keys.length + 1);
    let total = 0;
    keys.forEach((key, i) => {
      offsets[i] = total;
      total += lists.get(key)?.length ?? 0;
    });
    offsets[keys.length] = total;
    const values = new Int32Array(total);
    keys.forEach((key, i) => {
      values.set(lists.get(key) ?? [], offsets[i] as number);
    });
    return new PostingLists({ keys, offsets, values });
  }

  /** The list of `key` (a view, not a copy), or undefined. */
  get(key: string): Int32Array | undefined {
    const row = findSorted(this.data.keys, key);
    if (row < 0) return undefined;
    return this.data.values.subarray(this.data.offsets[row] as number, this.data.offsets[row + 1] as number);
  }
}
