import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDocuments, compileWithLunr, LunrScorer } from '../../src/engines/knowledge/lunr-scorer.js';

const FIELDS = ['questions', 'title', 'tags', 'body'];
const BOOSTS = [6, 4, 2, 1];
// Few distinct words, so documents share terms and scores tie often.
const word = fc.constantFrom('koban', 'visit', 'lost', 'wallet', 'train', 'bus', 'map', 'fee');

describe('LunrScorer.query with a limit', () => {
  it('gives the first `limit` results of the full ranking, ties in the same order, and the full ranking as lunr scores it', () => {
    const doc = fc.array(fc.array(word, { maxLength: 6 }), { minLength: 4, maxLength: 4 });
    const query = fc.array(fc.record({ term: word, boost: fc.constantFrom(1, 0.8, 0.6) }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 30 }),
        query,
        fc.integer({ min: 0, max: 8 }),
        (fieldLists, terms, limit) => {
          // Each document twice: equal scores, whose order must stay lunr's.
          const docs = [...fieldLists, ...fieldLists].map((fields, i) => ({ id: `entry-${i}`, fields }));
          const scorer = new LunrScorer(compileDocuments(docs, FIELDS, BOOSTS));
          const full = scorer.query(terms);
          expect(full).toEqual(new LunrScorer(compileWithLunr(docs, FIELDS, BOOSTS)).query(terms));
          expect(scorer.query(terms, limit)).toEqual(full.slice(0, limit));
          // The scratch arrays are clean again: the same query gives the same answer twice.
          expect(scorer.query(terms)).toEqual(full);
        },
      ),
      { numRuns: 300 },
    );
  });
});
