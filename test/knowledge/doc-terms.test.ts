import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/seeded-random.js';
import { DocTermsBuilder, docHolds, SortedTerms } from '../../src/engines/knowledge/doc-terms.js';

describe('DocTermsBuilder', () => {
  it('answers as per-document Sets of all and lead terms would, with document frequencies', () => {
    const random = seededRandom(3);
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const pick = (): string => words[Math.floor(random() * random() * words.length)] as string;
    const builder = new DocTermsBuilder();
    const expected: Array<{ all: Set<string>; lead: Set<string> }> = [];
    for (let d = 0; d < 200; d++) {
      // Four fields; the first three are lead (questions, title, tags), the last the body.
      const fields = Array.from({ length: 4 }, () => Array.from({ length: Math.floor(random() * 30) }, pick));
      expected.push({ all: new Set(fields.flat()), lead: new Set(fields.slice(0, 3).flat()) });
      builder.add(
        fields.map((f) => [...f]),
        3,
      );
    }
    const data = builder.build();
    expect(builder.vocabulary.length).toBe(data.terms.length);
    expect(data.terms).toEqual([...builder.vocabulary].sort());
    const termIds = new SortedTerms(data.terms);
    for (const word of words) {
      const id = termIds.get(word);
      expect(termIds.has(word)).toBe(id !== undefined);
      if (id !== undefined)
        expect(data.terms[data.rank[builder.vocabulary.indexOf(word)] as number]).toBe(word);
      const df = expected.filter((e) => e.all.has(word)).length;
      if (id === undefined) {
        expect(df).toBe(0);
        continue;
      }
      expect(data.df[id]).toBe(df);
      expected.forEach((e, d) => {
        expect(docHolds(data, d, id), `${word} in ${d}`).toBe(e.lead.has(word) ? 2 : e.all.has(word) ? 1 : 0);
      });
    }
  });

  it('numbers terms in first-met order, ids them by sorted place and hands back the interned strings', () => {
    const builder = new DocTermsBuilder();
    const second = ['b', 'a', `${'c'}`];
    builder.add([['d', 'b'], []], 1);
    builder.add([second, ['a']], 1);
    expect(builder.vocabulary).toEqual(['d', 'b', 'a', 'c']);
    const data = builder.build();
    expect(data.terms).toEqual(['a', 'b', 'c', 'd']);
    expect([...data.rank]).toEqual([3, 1, 0, 2]);
    expect([...data.df]).toEqual([1, 2, 1, 1]);
    // Document 1 holds a (lead), b (lead) and c (lead); document 0 holds b and d (lead).
    expect(docHolds(data, 1, 0)).toBe(2);
    expect(docHolds(data, 1, 3)).toBe(0);
    expect(docHolds(data, 0, 3)).toBe(2);
    expect(docHolds(data, 0, 2)).toBe(0);
    expect(second[0]).toBe(builder.vocabulary[1]);
  });
});
