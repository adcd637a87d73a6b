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

  it('gives the same first `limit` results when it prunes (MaxScore) as when it walks every posting', () => {
    // Rare and common words together, so some terms' bounds fall below the threshold and are pruned.
    const mixed = fc.oneof(word, fc.constantFrom('koban', 'koban', 'visit', 'visit', 'bus'));
    const doc = fc.array(fc.array(mixed, { maxLength: 8 }), { minLength: 4, maxLength: 4 });
    const query = fc.array(fc.record({ term: mixed, boost: fc.constantFrom(1, 0.8, 0.6) }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 40 }),
        query,
        fc.integer({ min: 1, max: 8 }),
        (fieldLists, terms, limit) => {
          const docs = [...fieldLists, ...fieldLists].map((fields, i) => ({ id: `entry-${i}`, fields }));
          const data = compileDocuments(docs, FIELDS, BOOSTS);
          const walked = new LunrScorer(data, { pruneFrom: Number.POSITIVE_INFINITY });
          const pruned = new LunrScorer(data, { pruneFrom: 0 });
          const expected = walked.query(terms, limit);
          expect(pruned.query(terms, limit)).toEqual(expected);
          // Its scratch is clean again, and the full ranking still walks every posting.
          expect(pruned.query(terms, limit)).toEqual(expected);
          expect(pruned.query(terms)).toEqual(walked.query(terms));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('prunes: a limited query over many documents scores only a few of them exactly', () => {
    // 400 documents hold the common word, 3 the rare one: the rare word's documents win, and the
    // common word's 400 documents need not be scored one by one.
    const docs = Array.from({ length: 403 }, (_, i) => ({
      id: `entry-${i}`,
      fields: [i < 3 ? ['rare', 'common'] : ['common', 'other'], [], [], ['filler']],
    }));
    const data = compileDocuments(docs, FIELDS, BOOSTS);
    const terms = [
      { term: 'common', boost: 1 },
      { term: 'rare', boost: 1 },
    ];
    const pruned = new LunrScorer(data, { pruneFrom: 0 });
    const result = pruned.query(terms, 2);
    expect(result.map((r) => r.ref)).toEqual(['entry-0', 'entry-1']);
    expect(result).toEqual(new LunrScorer(data, { pruneFrom: Number.POSITIVE_INFINITY }).query(terms, 2));
    expect(pruned.lastExactlyScored).toBeLessThanOrEqual(3);
  });

  it('breaks ties when it prunes as lunr does: the document met first, not the lower-numbered one', () => {
    // Two documents of equal score through different words: the query names the second one's first.
    const docs = [
      { id: 'visit-doc', fields: [['visit'], [], [], []] },
      { id: 'lost-doc', fields: [['lost'], [], [], []] },
      { id: 'other', fields: [['bus'], [], [], []] },
    ];
    const data = compileDocuments(docs, FIELDS, BOOSTS);
    const terms = [
      { term: 'lost', boost: 1 },
      { term: 'visit', boost: 1 },
    ];
    const walked = new LunrScorer(data, { pruneFrom: Number.POSITIVE_INFINITY }).query(terms, 1);
    expect(walked.map((r) => r.ref)).toEqual(['lost-doc']);
    expect(new LunrScorer(data, { pruneFrom: 0 }).query(terms, 1)).toEqual(walked);
  });
});
