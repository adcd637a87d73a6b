import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectLanguage, hintedLanguage } from '../../src/assistant/language-detection.js';
import { languageHintsSchema } from '../../src/engines/knowledge/language-hints.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const runtime = await testRuntime();
afterAll(() => runtime.close());
const repoHints = runtime.knowledge.kb.languageHints;
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

  it('answers 98% of the development sets of mixed messages in their language', () => {
    const dir = join(import.meta.dirname, '../dev-set/language');
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    const lines = files.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text: string; lang: string }),
    );
    const wrong = lines.filter((q) => (detectLanguage(q.text, repoHints).lang ?? 'en') !== q.lang);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeGreaterThanOrEqual(110);
    expect(wrong.length / lines.length, JSON.stringify(wrong)).toBeLessThanOrEqual(0.02);
  });
});

describe('Persian typed in Latin letters (Finglish)', () => {
  it.each([
    ['wifi password chie?', 'trainee-wifi-it'],
    ['printer kharab shode', 'trainee-wifi-it'],
    ['salam, laundry kojast?', 'trainee-laundry'],
  ] as const)('"%s" is answered in Persian with the right entry', async (text, entryId) => {
    const reply = await chat().expect(text, { lang: 'fa', intent: 'faq', entryId });
    // The Persian translation, not the English one.
    expect(reply.text).toMatch(/\p{Script=Arabic}/u);
  });

  it('reads Finglish day words in a schedule question and answers it in Persian', async () => {
    await chat().expect('farda class hast?', { lang: 'fa', intent: 'schedule' });
  });

  it('is Persian by its chat words, which another language sharing them does not outweigh', () => {
    const hints = {
      fa: { words: ['kojast', 'chand'], weak: ['saat'] },
      tr: { words: ['nerde'], weak: ['saat'] },
    };
    expect(detectLanguage('lunch kojast', hints)).toEqual({ lang: 'fa', confident: true });
    expect(detectLanguage('bus saat chand', hints)).toEqual({ lang: 'fa', confident: true });
    expect(hintedLanguage(['bus', 'saat'], hints)).toBeUndefined();
  });
});

describe('English messages stay English', () => {
  it.each(['ok gotta go, see ya later', 'what can u do', 'can I bring my laptop to class too'])(
    '"%s" is English',
    async (text) => {
      expect(detectLanguage(text, repoHints).lang).toBe('en');
    },
  );

  it('counts a weak hint (a word English or another language uses too) only beside a strong one', () => {
    const hints = { id: { words: ['dmn'], weak: ['ya'] } };
    expect(hintedLanguage(['see', 'ya', 'later'], hints)).toBeUndefined();
    expect(hintedLanguage(['toilet', 'dmn', 'ya'], hints)).toBe('id');
    expect(languageHintsSchema.parse({ words: ['dmn'] }).weak).toEqual([]);
  });

  it('lets dense hints decide a longer message, but not a few in a long English one', () => {
    expect(detectLanguage('good morning po! ano po sched natin today', repoHints).lang).toBe('tl');
    expect(
      detectLanguage('is the bus to Narita going at ten or at eleven tomorrow morning', repoHints).lang,
    ).toBe('en');
  });
});
