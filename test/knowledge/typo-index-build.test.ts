import { describe, expect, it } from 'vitest';
import { deletionPairs, TypoIndex } from '../../src/engines/knowledge/fuzzy.js';

// The deletion index as it was built before deletions were hashed without building the strings:
// every string made by deleting up to 1 (4-6 units) or 2 (7+) code units, as strings, then hashed.
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}
function deletions(word: string, depth: number, out: Set<string>): Set<string> {
  out.add(word);
  if (depth === 0) return out;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(shorter)) deletions(shorter, depth - 1, out);
  }
  return out;
}
function reference(vocabulary: string[]): { hashes: number[]; ids: number[] } {
  const byHash = new Map<number, Set<number>>();
  vocabulary.forEach((word, id) => {
    const depth = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
    if (depth === 0) return;
    for (const d of deletions(word, depth, new Set())) {
      const h = hash31(d);
      byHash.set(h, (byHash.get(h) ?? new Set()).add(id));
    }
  });
  const hashes = [...byHash.keys()].sort((a, b) => a - b);
  const pairs = { hashes: [] as number[], ids: [] as number[] };
  for (const h of hashes) {
    for (const id of [...(byHash.get(h) ?? [])].sort((a, b) => a - b)) {
      pairs.hashes.push(h);
      pairs.ids.push(id);
    }
  }
  return pairs;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the typo index build', () => {
  it('hashes the same deletions as building every deletion string would', () => {
    const random = seeded(7);
    // Few letters, so words repeat units (equal neighbours give equal deletions); some Thai,
    // kana and astral characters (two code units).
    const alphabet = ['a', 'b', 'c', 'ก', 'ข', 'の', '語', '𠮷'];
    const vocabulary = [
      ...new Set(
        Array.from({ length: 400 }, () =>
          Array.from(
            { length: Math.floor(random() * 14) },
            () => alphabet[Math.floor(random() * alphabet.length)],
          ).join(''),
        ),
      ),
    ];
    const built = deletionPairs(new TypoIndex(vocabulary).state().byDeletion);
    const expected = reference(vocabulary);
    expect(built.hashes).toEqual(expected.hashes);
    expect(built.ids).toEqual(expected.ids);
    // And the index still finds a typo.
    expect(new TypoIndex(['station', 'koban']).matches('stetion').map((m) => m.word)).toEqual(['station']);
  });
});
