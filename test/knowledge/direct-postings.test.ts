import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKb } from '../../bench/generate-kb.js';
import type { LANGUAGES } from '../../src/core/languages.js';
import { FaqEngine } from '../../src/engines/knowledge/faq-engine.js';
import { INDEX_BUILDER, LanguageIndex, TUNING } from '../../src/engines/knowledge/language-index.js';
import { type KnowledgeBase, loadKnowledge } from '../../src/engines/knowledge/loader.js';
import {
  compileDocuments,
  compileWithLunr,
  LunrScorer,
  plainScorerData,
  type ScorerData,
} from '../../src/engines/knowledge/lunr-scorer.js';
import { readQuestionSet } from '../../src/eval/question-set.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIELDS = ['questions', 'title', 'tags', 'body'];
const BOOSTS = [6, 4, 2, 1];
// Upper case, hyphens and spaces inside a term: lunr's tokenizer lower-cases and splits them.
const letters = fc.constantFrom(...'abcdeklmnoprstuAÉ- ');
const word = fc.string({ unit: letters, minLength: 0, maxLength: 9 });

describe('the compiled postings built without lunr.Builder', () => {
  it('are exactly the arrays lunr.Builder gives, for any documents', () => {
    const doc = fc.array(fc.array(word, { maxLength: 10 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 15 }), (fieldLists) => {
        const docs = fieldLists.map((fields, i) => ({ id: `entry-${i}`, fields }));
        expect(plainScorerData(compileDocuments(docs, FIELDS, BOOSTS))).toEqual(
          compileWithLunr(docs, FIELDS, BOOSTS),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('score a query as the index built through lunr does', () => {
    const docs = [
      { id: 'a', fields: [['koban', 'visit'], ['Koban'], [], ['police-box', 'visit', 'visit']] },
      { id: 'b', fields: [['lost', 'wallet'], ['lost'], ['wallet'], ['koban', 'lost', 'found']] },
    ];
    const query = [
      { term: 'koban', boost: 1 },
      { term: 'lost', boost: 0.8 },
    ];
    const direct = new LunrScorer(compileDocuments(docs, FIELDS, BOOSTS)).query(query);
    expect(direct.map((d) => d.ref).sort()).toEqual(['a', 'b']);
    expect(direct).toEqual(new LunrScorer(compileWithLunr(docs, FIELDS, BOOSTS)).query(query));
  });
});

describe('indexes built directly and through lunr.Builder', () => {
  const original = INDEX_BUILDER.compile;
  afterEach(() => {
    INDEX_BUILDER.compile = original;
  });

  function both(kb: KnowledgeBase): { direct: FaqEngine; viaLunr: FaqEngine } {
    INDEX_BUILDER.compile = compileDocuments;
    const direct = new FaqEngine(kb);
    INDEX_BUILDER.compile = compileWithLunr;
    const viaLunr = new FaqEngine(kb);
    return { direct, viaLunr };
  }
  const scorers = (engine: FaqEngine): Array<[string, ScorerData]> =>
    [...engine.snapshots()].map(([lang, s]) => [lang, plainScorerData(s.scorer)]);
  const top3 = (engine: FaqEngine, text: string, lang: (typeof LANGUAGES)[number]): string[] => {
    const r = engine.search(text, lang);
    return [...(r.answer ? [r.answer] : []), ...r.suggestions].slice(0, 3).map((m) => m.entry.id);
  };

  it('are identical on the shipped knowledge, with the same top 3 for every development question', () => {
    const kb = loadKnowledge(join(ROOT, 'knowledge')).knowledge;
    if (!kb) throw new Error('the shipped knowledge base failed to load');
    const { direct, viaLunr } = both(kb);
    expect(scorers(direct)).toEqual(scorers(viaLunr));
    const questions = readQuestionSet(join(ROOT, 'test', 'dev-set'));
    expect(questions.length).toBeGreaterThan(100);
    let answered = 0;
    for (const q of questions) {
      const lang = q.lang;
      const ids = top3(direct, q.text, lang);
      if (ids.length > 0) answered++;
      expect(ids, q.text).toEqual(top3(viaLunr, q.text, lang));
    }
    expect(answered).toBeGreaterThan(questions.length / 2);
    // Two full builds with classifier training: slow on a loaded machine, not a timing target.
  }, 300_000);

  it('are identical on a generated knowledge base, with the same top 3 for its questions', () => {
    const shipped = loadKnowledge(join(ROOT, 'knowledge')).knowledge;
    if (!shipped) throw new Error('the shipped knowledge base failed to load');
    // Over TUNING.classifierMaxEntries, so no classifier: the postings are what differs.
    const { kb, questions } = generateKb(shipped, TUNING.classifierMaxEntries + 10, 7, 10);
    for (const lang of ['en', 'ja', 'th'] as const) {
      const build = (compile: typeof INDEX_BUILDER.compile): LanguageIndex => {
        INDEX_BUILDER.compile = compile;
        return new LanguageIndex(lang, kb.entries.values(), kb.synonyms[lang] ?? [], kb.offTopic[lang] ?? []);
      };
      const direct = build(compileDocuments);
      const viaLunr = build(compileWithLunr);
      expect(plainScorerData(direct.snapshot().scorer)).toEqual(viaLunr.snapshot().scorer);
      const asked = questions.filter((q) => q.lang === lang);
      expect(asked.length).toBeGreaterThan(0);
      for (const q of asked) {
        const ids = direct.search(q.text, 3).map((h) => h.entryId);
        expect(ids.length, q.text).toBeGreaterThan(0);
        expect(ids, q.text).toEqual(viaLunr.search(q.text, 3).map((h) => h.entryId));
      }
    }
  }, 300_000);
});
