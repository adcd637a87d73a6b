import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/core/languages.js';
import { FaqEngine } from '../../src/engines/knowledge/faq-engine.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { buildSnapshots, splitLanguages } from '../../src/engines/knowledge/parallel-build.js';

const kb = loadKnowledge(join(import.meta.dirname, '..', '..', 'knowledge')).knowledge;

describe('building the language indexes on two threads', () => {
  it('gives every language to exactly one thread', () => {
    for (const threads of [1, 2, 3, 8]) {
      const groups = splitLanguages(threads);
      expect(groups).toHaveLength(threads);
      expect(groups.flat().sort()).toEqual([...LANGUAGES].sort());
    }
  });

  it('builds in a worker the same indexes as one thread does, and answers the same', () => {
    if (!kb) throw new Error('the shipped knowledge base has errors');
    const one = new FaqEngine(kb);
    const { snapshots, fromWorkers } = buildSnapshots(kb, { threads: 2 });
    // The worker really built its share (a failed worker would leave it to this thread).
    expect(fromWorkers.length).toBeGreaterThan(0);
    const expected = one.snapshots();
    for (const lang of LANGUAGES) {
      expect(isDeepStrictEqual(snapshots.get(lang), expected.get(lang)), lang).toBe(true);
    }
    const two = new FaqEngine(kb, snapshots);
    for (const [text, lang] of [
      ['what should I wear on a koban visit', 'en'],
      ['交番訪問の服装は？', 'ja'],
      ['bitcoin price today', 'en'],
    ] as const) {
      expect(two.search(text, lang)).toEqual(one.search(text, lang));
    }
  }, 60_000);
});
