import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isLang, LANGUAGES, type Lang } from '../../src/core/languages.js';
import { FaqEngine } from '../../src/engines/knowledge/faq-engine.js';
import { searchGlossary } from '../../src/engines/knowledge/glossary.js';
import { engineHash, savedParts } from '../../src/engines/knowledge/index-cache.js';
import { inputKey, languageIndexInput } from '../../src/engines/knowledge/index-input.js';
import { KnowledgeService } from '../../src/engines/knowledge/knowledge-service.js';
import { LanguageIndex } from '../../src/engines/knowledge/language-index.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { silentLogger } from '../../src/logger.js';

const root = join(import.meta.dirname, '..', '..');
const devSet = join(root, 'test', 'dev-set');

/** Every FAQ question of the development set, with its language. */
const questions: Array<{ text: string; lang: Lang }> = readdirSync(devSet)
  .filter((f) => f.startsWith('faq-') && f.endsWith('.jsonl'))
  .flatMap((f) => readFileSync(join(devSet, f), 'utf8').split('\n'))
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { text?: unknown; lang?: unknown })
  .flatMap((item) =>
    typeof item.text === 'string' && typeof item.lang === 'string' && isLang(item.lang)
      ? [{ text: item.text, lang: item.lang }]
      : [],
  );

/** A copy of the shipped knowledge and an empty cache folder. */
function copyOfKnowledge(): { dir: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'koban-incr-kb-'));
  cpSync(join(root, 'knowledge'), dir, { recursive: true });
  return { dir, cacheDir: mkdtempSync(join(tmpdir(), 'koban-incr-cache-')) };
}

/**
 * `service`'s engine is the one a clean build of its folder gives (no cache, and each index given
 * the whole knowledge base, not index-input.ts's part of it): the same snapshot for every language
 * (everything an index holds) and the same result for every development question.
 */
function expectSameAsCleanBuild(service: KnowledgeService): void {
  const kb = loadKnowledge(service.dir).knowledge;
  if (!kb) throw new Error('the edited knowledge has errors');
  const whole = new Map(
    LANGUAGES.map((lang) => [
      lang,
      new LanguageIndex(
        lang,
        kb.entries.values(),
        kb.synonyms[lang] ?? [],
        kb.offTopic[lang] ?? [],
        undefined,
        kb.errands?.[lang] ?? [],
        searchGlossary(kb.glossary),
      ).snapshot(),
    ]),
  );
  const clean = new FaqEngine(kb, whole);
  const expected = clean.snapshots();
  const actual = service.faq.snapshots();
  for (const lang of LANGUAGES) {
    expect(isDeepStrictEqual(actual.get(lang), expected.get(lang)), `${lang} index`).toBe(true);
  }
  let differences = 0;
  for (const { text, lang } of questions) {
    if (!isDeepStrictEqual(service.faq.search(text, lang), clean.search(text, lang))) differences++;
  }
  expect(differences).toBe(0);
}

const sorted = (langs: readonly Lang[]): Lang[] => [...langs].sort();
const others = (...langs: Lang[]): Lang[] => sorted(LANGUAGES.filter((l) => !langs.includes(l)));

describe('the incremental rebuild of a stale index cache', () => {
  it('has development questions to compare with', () => {
    expect(questions.length).toBeGreaterThan(1000);
  });

  it('rebuilds only the language of an edited file, and answers as a clean build does', () => {
    const { dir, cacheDir } = copyOfKnowledge();
    const first = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(first.lastBuild.from).toBe('build');
    expect(sorted(first.lastBuild.rebuilt)).toEqual(sorted(LANGUAGES));
    first.close();

    // A new way to ask, in the Japanese file of one entry.
    const ja = join(dir, 'faq', 'visit-dress-code', 'ja.md');
    writeFileSync(
      ja,
      readFileSync(ja, 'utf8').replace('questions:\n', 'questions:\n  - 見学の日は何を着ればいいですか\n'),
    );
    const edited = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(edited.lastBuild).toMatchObject({ from: 'build', rebuilt: ['ja'] });
    expect(sorted(edited.lastBuild.reused)).toEqual(others('ja'));
    expect(edited.faq.show('visit-dress-code', 'ja')?.translation.questions).toContain(
      '見学の日は何を着ればいいですか',
    );
    expectSameAsCleanBuild(edited);
    edited.close();

    // The next start reads the whole new file.
    const again = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(again.lastBuild.from).toBe('cache');
    again.close();
  }, 300_000);

  it('rebuilds English alone for an edit to an English answer (Tagalog holds English questions, not answers)', () => {
    const { dir, cacheDir } = copyOfKnowledge();
    new KnowledgeService(dir, silentLogger(), { cacheDir }).close();
    // What `npm run bench -- --part startup` does for its stale start.
    appendFileSync(join(dir, 'faq', 'koban-what-is', 'en.md'), '\n<!-- an edit -->\n');
    const bodyEdit = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(bodyEdit.lastBuild.rebuilt).toEqual(['en']);
    expectSameAsCleanBuild(bodyEdit);
    bodyEdit.close();

    // An English question is in the Tagalog index too.
    const en = join(dir, 'faq', 'koban-what-is', 'en.md');
    writeFileSync(
      en,
      readFileSync(en, 'utf8').replace('questions:\n', 'questions:\n  - what exactly is a police box\n'),
    );
    const questionEdit = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(sorted(questionEdit.lastBuild.rebuilt)).toEqual(['en', 'tl']);
    expectSameAsCleanBuild(questionEdit);
    questionEdit.close();
  }, 300_000);

  it('rebuilds every language for a shared file (the glossary), and answers as a clean build does', () => {
    const { dir, cacheDir } = copyOfKnowledge();
    new KnowledgeService(dir, silentLogger(), { cacheDir }).close();
    const glossary = join(dir, 'glossary', 'police-work.yaml');
    const text = readFileSync(glossary, 'utf8');
    // One more English word for the first concept.
    const edited = text.replace(/(\n\s+en: \[)/, '$1patrol officer, ');
    expect(edited).not.toBe(text);
    writeFileSync(glossary, edited);
    const service = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(sorted(service.lastBuild.rebuilt)).toEqual(sorted(LANGUAGES));
    expect(service.lastBuild.reused).toEqual([]);
    expectSameAsCleanBuild(service);
    service.close();
  }, 300_000);

  it('keys each language by exactly what its index is built from', () => {
    const { dir } = copyOfKnowledge();
    const kb = loadKnowledge(dir).knowledge;
    if (!kb) throw new Error('the shipped knowledge has errors');
    const engine = engineHash();
    const keys = (base: typeof kb) =>
      LANGUAGES.map((lang) => inputKey(languageIndexInput(base, lang), engine));
    const before = keys(kb);
    expect(keys(loadKnowledge(dir).knowledge ?? kb)).toEqual(before);
    // center.yaml's values are in the answers: a value used by answers changes their languages' keys.
    const center = join(dir, 'center.yaml');
    const phone = /(phone: ")([^"]+)"/.exec(readFileSync(center, 'utf8'));
    if (!phone) throw new Error('center.yaml has no phone value');
    writeFileSync(center, readFileSync(center, 'utf8').replace(phone[0], `${phone[1]}+81-00-0000-0000"`));
    const changed = keys(loadKnowledge(dir).knowledge ?? kb);
    expect(changed.filter((key, i) => key !== before[i]).length).toBeGreaterThan(0);
    // Another engine (code) is another key for every language.
    expect(LANGUAGES.map((lang) => inputKey(languageIndexInput(kb, lang), 'other code'))).not.toContain(
      before[0],
    );
  });
});

describe('a reload of the running bot, built in a worker', () => {
  it('rebuilds only the edited language there, and swaps in what a clean build gives', async () => {
    const { dir, cacheDir } = copyOfKnowledge();
    const service = new KnowledgeService(dir, silentLogger(), { cacheDir });
    const th = join(dir, 'faq', 'visit-dress-code', 'th.md');
    appendFileSync(th, '\nแต่งกายสุภาพ\n');
    expect(await service.reloadInBackground()).toBe(true);
    expect(service.lastBuild).toMatchObject({ from: 'cache', worker: { rebuilt: ['th'] } });
    expect(savedParts(cacheDir).size).toBeGreaterThanOrEqual(LANGUAGES.length + 1);
    expectSameAsCleanBuild(service);
    service.close();
  }, 300_000);
});
