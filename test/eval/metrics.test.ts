import { describe, expect, it } from 'vitest';
import { type Outcome, summarize } from '../../src/eval/metrics.js';

const outcome = (o: Partial<Outcome>): Outcome => ({
  lang: 'en',
  outOfScope: false,
  schedule: false,
  refused: false,
  right: false,
  rank: 0,
  ms: 1,
  ...o,
});

describe('eval metrics', () => {
  it('separates answering right (top1) from ranking the right entry first (first)', () => {
    const m = summarize([
      outcome({ right: true, rank: 1 }),
      // refused, but the first "did you mean" was right
      outcome({ refused: true, rank: 1 }),
      // answered wrong, the right entry second
      outcome({ rank: 2 }),
      outcome({ outOfScope: true, refused: true, right: true, rank: 1 }),
    ]);
    expect(m.inScope).toBe(3);
    expect(m.top1).toBeCloseTo(1 / 3);
    expect(m.first).toBeCloseTo(2 / 3);
    expect(m.recall3).toBeCloseTo(1);
    expect(m.mrr).toBeCloseTo((1 + 1 + 0.5) / 3);
    expect(m.inScopeRefused).toBeCloseTo(1 / 3);
    expect(m.fallbackRecall).toBe(1);
    expect(m.fallbackPrecision).toBeCloseTo(1 / 2);
  });
});
