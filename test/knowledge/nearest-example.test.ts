import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NearestTerm,
  nearestExamples,
  nearestScratch,
  phrasingRange,
} from '../../src/engines/knowledge/nearest-example.js';

/** Examples as sets of term numbers; the off-topic ones first and last, as the index lays them out. */
function lists(examples: number[][], termCount: number): Int32Array[] {
  return Array.from({ length: termCount }, (_, t) =>
    Int32Array.from(examples.flatMap((terms, i) => (terms.includes(t) ? [i] : []))),
  );
}

describe('nearestExamples', () => {
  it('gives the same best similarities when it prunes as when it walks every example', () => {
    const example = fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(example, { minLength: 0, maxLength: 3 }),
        fc.array(example, { minLength: 1, maxLength: 60 }),
        fc.array(example, { minLength: 0, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 6 }),
        (before, phrasings, after, question) => {
          const examples = [...before, ...phrasings, ...after];
          // Rare terms weigh more: idf falls with the term number (terms 10 and 11 are in no example).
          const idf = (t: number) => 3 / (1 + t);
          const byTerm = lists(examples, 12);
          const exampleWeights = Float64Array.from(examples, (terms) =>
            terms.reduce((s, t) => s + idf(t), 0),
          );
          const offTopic = Uint8Array.from(examples, (_, i) =>
            i < before.length || i >= before.length + phrasings.length ? 1 : 0,
          );
          const terms: NearestTerm[] = question.map((t) => ({
            idf: idf(t),
            list: (byTerm[t]?.length ?? 0) > 0 ? byTerm[t] : undefined,
          }));
          const weight = terms.reduce((s, t) => s + t.idf, 0);
          const scratch = nearestScratch(examples.length);
          const range = phrasingRange(offTopic);
          expect(range).toEqual({ from: before.length, to: before.length + phrasings.length });
          const walked = nearestExamples(terms, weight, exampleWeights, offTopic, range, scratch, Infinity);
          const pruned = nearestExamples(terms, weight, exampleWeights, offTopic, range, scratch, 0);
          expect(pruned).toEqual(walked);
          // The scratch is clean again.
          expect(nearestExamples(terms, weight, exampleWeights, offTopic, range, scratch, 0)).toEqual(walked);
          // And the walk is what the definition says: the best Dice overlap of each kind.
          const dice = (i: number) => {
            const shared = question.filter((t) => examples[i]?.includes(t)).reduce((s, t) => s + idf(t), 0);
            return shared === 0 ? 0 : (2 * shared) / (weight + (exampleWeights[i] as number));
          };
          const best = (kind: number) =>
            Math.max(0, ...examples.map((_, i) => (offTopic[i] === kind ? dice(i) : 0)));
          expect(walked.entry).toBeCloseTo(best(0), 12);
          expect(walked.offTopic).toBeCloseTo(best(1), 12);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not prune when an off-topic example lies among the phrasings', () => {
    expect(phrasingRange(Uint8Array.from([1, 0, 0, 1]))).toEqual({ from: 1, to: 3 });
    expect(phrasingRange(Uint8Array.from([0, 1, 0]))).toBeUndefined();
  });
});
