import { PostingLists, type PostingListsData } from './posting-lists.js';

/** Bounded Levenshtein distance: returns max + 1 as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
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

/**
 * Finds the known words within a word's typo budget without scanning the vocabulary (a
 * symmetric-delete index: two strings within edit distance k share a string made by at most k
 * deletions from each). Candidates are confirmed with editDistance, so the result is exactly the
 * words a full scan would find, in vocabulary order.
 */
export class TypoIndex {
  private readonly byDeletion: PostingLists;

  /** Indexes `vocabulary`, or takes an index built before (`saved`, from the index cache). */
  constructor(
    private readonly vocabulary: readonly string[],
    saved?: PostingListsData,
  ) {
    if (saved) {
      this.byDeletion = new PostingLists(saved);
      return;
    }
    const lists = new Map<string, number[]>();
    vocabulary.forEach((word, id) => {
      // A query of 5+ letters allows one typo (so a known word of 4+ units may match), of 9+ two (7+).
      const depth = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
      if (depth === 0) return;
      for (const d of deletions(word, depth, new Set())) {
        const ids = lists.get(d);
        if (ids) ids.push(id);
        else lists.set(d, [id]);
      }
    });
    this.byDeletion = PostingLists.from(lists);
  }

  /** The vocabulary and its deletion index, for the index cache. */
  state(): { vocabulary: readonly string[]; byDeletion: PostingListsData } {
    return { vocabulary: this.vocabulary, byDeletion: this.byDeletion.data };
  }

  /** Known words within typoBudget(word) edits of `word`, each with its distance. */
  matches(word: string): Array<{ word: string; distance: number }> {
    const budget = typoBudget(word);
    if (budget === 0) return [];
    const ids = new Set<number>();
    for (const d of deletions(word, budget, new Set())) {
      for (const id of this.byDeletion.get(d) ?? []) ids.add(id);
    }
    const out: Array<{ word: string; distance: number; id: number }> = [];
    for (const id of ids) {
      const known = this.vocabulary[id] as string;
      const distance = editDistance(word, known, budget);
      if (distance <= budget) out.push({ word: known, distance, id });
    }
    out.sort((a, b) => a.id - b.id);
    return out.map(({ word: w, distance }) => ({ word: w, distance }));
  }
}
