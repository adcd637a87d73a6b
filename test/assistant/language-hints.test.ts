import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectLanguage, hintedLanguage } from '../../src/assistant/language-detection.js';
import { languageHintsSchema } from '../../src/engines/knowledge/language-hints.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const runtime = await testRuntime();
afterAll(() => runtime.close());
let n = 0;
const chat = (): Conversation => new Conversation(runtime, `hints-user-${++n}`);

describe('reply language of short mixed messages', () => {
  it.each([
    ['toilet dmn ya', 'id'],
    ['wifi pwd po', 'tl'],
    ['lich hoc hom nay', 'vi'],
    ['canteen saan po', 'tl'],
    ['where is a toilet', 'en'],
    ['wifi password please', 'en'],
  ] as const)('"%s" is answered in %s', async (text, lang) => {
    await chat().expect(text, { lang });
  });

  it('follows the knowledge files: without hints a mixed message stays unsure', () => {
    expect(detectLanguage('toilet dmn ya').confident).toBe(false);
    expect(detectLanguage('toilet dmn ya', { id: ['dmn', 'ya'] })).toEqual({ lang: 'id', confident: true });
  });

  it('decides nothing on a tie between two languages, and matches phrases as a whole', () => {
    expect(hintedLanguage(['ok', 'po', 'ya'], { id: ['ya'], tl: ['po'] })).toBeUndefined();
    expect(hintedLanguage(['hom', 'nay'], { vi: ['hom nay'] })).toBe('vi');
    expect(hintedLanguage(['nay'], { vi: ['hom nay'] })).toBeUndefined();
  });

  it('validates hint files: lowercase, accents folded, letters only', () => {
    expect(languageHintsSchema.parse({ words: ['Hôm Nay', 'PO'] }).words).toEqual(['hom nay', 'po']);
    expect(languageHintsSchema.safeParse({ words: ['ok?'] }).success).toBe(false);
    expect(languageHintsSchema.safeParse({ list: ['po'] }).success).toBe(false);
  });

  it('uses hints even when the detector knows none of the words', () => {
    expect(detectLanguage('atm nerde', { tr: ['nerde'] })).toEqual({ lang: 'tr', confident: true });
    expect(detectLanguage('atm nerde').lang).toBeUndefined();
  });

  it('answers 98% of the development set of mixed messages in their language', () => {
    const kb = loadKnowledge(join(import.meta.dirname, '../../knowledge')).knowledge;
    const lines = readFileSync(join(import.meta.dirname, '../dev-set/language/mixed.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; lang: string });
    const wrong = lines.filter((q) => (detectLanguage(q.text, kb?.languageHints).lang ?? 'en') !== q.lang);
    expect(lines.length).toBeGreaterThanOrEqual(60);
    expect(wrong.length / lines.length, JSON.stringify(wrong)).toBeLessThanOrEqual(0.02);
  });
});
