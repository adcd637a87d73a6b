import fc from 'fast-check';
import lunr from 'lunr';
import { describe, expect, it } from 'vitest';
import { editDistance, TypoIndex, typoBudget } from '../../src/engines/knowledge/fuzzy.js';
import { compileLunr, type LunrIndexJson, LunrScorer } from '../../src/engines/knowledge/lunr-scorer.js';

const FIELDS = ['questions', 'title', 'body'] as const;
const letters = fc.constantFrom(...'abcdeklmnoprstu');
const word = fc.string({ unit: letters, minLength: 1, maxLength: 11 });

describe('the typo index', () => {
  it('finds exactly the known words a full scan of the vocabulary finds, in vocabulary order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), word, (vocabulary, query) => {
        const budget = typoBudget(query);
        const scan =
          budget === 0
            ? []
            : vocabulary
                .map((w) => ({ word: w, distance: editDistance(query, w, budget) }))
                .filter((m) => m.distance <= budget);
        expect(new TypoIndex(vocabulary).matches(query)).toEqual(scan);
      }),
      { numRuns: 300 },
    );
  });
  it('forgives one typo in a word of five letters and two from nine', () => {
    const index = new TypoIndex(['uniform', 'passport', 'fingerprint', 'koban']);
    expect(index.matches('unifrom').map((m) => m.word)).toEqual([]);
    expect(index.matches('uniforn')).toEqual([{ word: 'uniform', distance: 1 }]);
    expect(index.matches('fingreprint')).toEqual([{ word: 'fingerprint', distance: 2 }]);
    expect(index.matches('koba')).toEqual([]);
  });
});

describe('the lunr scorer', () => {
  it('gives the same documents, scores and order as lunr.Index.query', () => {
    const doc = fc.record({
      questions: fc.array(word, { maxLength: 8 }),
      title: fc.array(word, { maxLength: 4 }),
      body: fc.array(word, { maxLength: 12 }),
    });
    const query = fc.array(fc.record({ term: word, boost: fc.constantFrom(1, 0.8, 0.6) }), { maxLength: 8 });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 12 }), query, (docs, terms) => {
        const index = lunr(function () {
          this.pipeline.reset();
          this.searchPipeline.reset();
          this.ref('id');
          this.field('questions', { boost: 6 });
          this.field('title', { boost: 4 });
          this.field('body', { boost: 1 });
          docs.forEach((d, i) => {
            this.add({
              id: `entry-${i}`,
              questions: d.questions.join(' '),
              title: d.title.join(' '),
              body: d.body.join(' '),
            });
          });
        });
        const expected = index
          .query((q) => {
            for (const { term, boost } of terms) q.term(term, { boost, usePipeline: false });
          })
          .map((r) => ({ ref: r.ref, score: r.score }));
        const json = index.toJSON() as unknown as LunrIndexJson;
        expect(new LunrScorer(compileLunr(json, FIELDS)).query(terms)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
