import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/core/languages.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from './helpers/conversation.js';

const runtime = testRuntime();
afterAll(() => runtime.close());
let n = 0;
const chat = (): Conversation => new Conversation(runtime, `user-${++n}`);

describe('the assistant', () => {
  it('answers the dress-code question in Indonesian, as a trainee from Jakarta asks it', async () => {
    await chat().expect('Apa pakaian yang harus dipakai saat kunjungan?', {
      intent: 'faq',
      lang: 'id',
      entryId: 'visit-dress-code',
    });
  });

  it('answers "交番とは何ですか" from koban-what-is in Japanese', async () => {
    const reply = await chat().expect('交番とは何ですか', {
      intent: 'faq',
      lang: 'ja',
      entryId: 'koban-what-is',
    });
    expect(reply.title).toBe(runtime.knowledge.faq.show('koban-what-is', 'ja')?.translation.title);
  });

  it('reads "where" as asking for a place: "where is the center?" gets the address', async () => {
    await chat().expect('where is the center?', { intent: 'faq', entryId: 'center-location-contact' });
    await chat().expect('センターはどこですか', { intent: 'faq', entryId: 'center-location-contact' });
  });

  it('does not guess on an out-of-scope question, and records it as unanswered', async () => {
    const reply = await chat().expect('bitcoin price today', { intent: 'fallback' });
    expect(reply.entryId).toBeUndefined();
    const log = readFileSync(runtime.config.unansweredPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log).toContainEqual(
      expect.objectContaining({ text: 'bitcoin price today', platform: 'console', lang: 'en' }),
    );
  });

  it('greets back in Japanese for "Omawari-san, ohayo gozaimasu!"', async () => {
    const reply = await chat().expect('Omawari-san, ohayo gozaimasu!', { intent: 'smalltalk', lang: 'ja' });
    expect(reply.text).toBe(runtime.i18n.t('ja')('smalltalk.omawari'));
  });

  it.each([
    ['hello', 'en'],
    ['こんにちは', 'ja'],
    ['terima kasih', 'id'],
    ['xin chào', 'vi'],
    ['สวัสดีครับ', 'th'],
    ['salamat po', 'tl'],
    ['merhaba', 'tr'],
    ['سلام', 'fa'],
  ] as const)('answers the greeting or thanks "%s" in %s', async (text, lang) => {
    const reply = await chat().expect(text, { intent: 'smalltalk', lang });
    expect(reply.text.length).toBeGreaterThan(0);
  });

  it('treats "hi, what is a koban?" as a question, not small talk', async () => {
    await chat().expect('hi, what is a koban?', { intent: 'faq', entryId: 'koban-what-is' });
  });

  it('remembers a language choice for short messages, and shows a picker for "/lang"', async () => {
    const c = chat();
    await c.expect('language tr', { intent: 'language', lang: 'tr' });
    await c.expect('koban?', { lang: 'tr' });
    await c.expect('/lang id', { intent: 'language', lang: 'id' });
    await c.expect('thanks', { lang: 'id' });
    const picker = await c.expect('/lang', { intent: 'language' });
    expect(picker.buttons.map((b) => b.action)).toContainEqual({ type: 'language', lang: 'fa' });
    await c.expect('', { intent: 'language', lang: 'fa' }, { action: { type: 'language', lang: 'fa' } });
  });

  it('answers a clear message in its own language even when another was chosen', async () => {
    const c = chat();
    await c.expect('language ja', { lang: 'ja' });
    await c.expect('Kapan saya harus datang untuk kunjungan koban?', { lang: 'id' });
  });

  it('says which languages it knows when asked for an unknown one', async () => {
    const reply = await chat().expect('language klingon', { intent: 'language' });
    expect(reply.text).toContain('klingon');
  });

  it('uses the platform locale as a hint for short messages', async () => {
    await chat().expect('koban', { lang: 'vi' }, { localeHint: 'vi-VN' });
  });

  it('shows help in the user language', async () => {
    const reply = await chat().expect('ヘルプ', { intent: 'help', lang: 'ja' });
    expect(reply.text).toContain('Bahasa Indonesia');
  });

  it('sets right-to-left direction for Dari/Persian replies', async () => {
    await chat().expect('کوبان چیست؟', { lang: 'fa', dir: 'rtl' });
  });

  it('answers a suggestion click with that entry', async () => {
    await chat().expect(
      '',
      { intent: 'faq', entryId: 'visit-photography', lang: 'th' },
      { action: { type: 'faq', entryId: 'visit-photography' }, lang: 'th' },
    );
  });

  it('has every UI text in every language (no key is ever shown)', () => {
    for (const lang of LANGUAGES) {
      for (const key of [
        'fallback.noMatch',
        'fallback.tooLong',
        'smalltalk.omawari',
        'help.text',
        'faq.englishOnly',
      ]) {
        expect(runtime.i18n.t(lang)(key), `${lang} ${key}`).not.toBe(key);
      }
    }
    expect(REPO_KNOWLEDGE).toContain('knowledge');
  });
});

describe('odd input', () => {
  const cases: Array<[string, string]> = [
    ['empty text', ''],
    ['only whitespace', '   \n\t  '],
    ['only emoji', '🙂🚓👮‍♀️'],
    ['20,000 characters', 'koban '.repeat(4000)],
    ['mixed scripts', 'koban 交番 ป้อมตำรวจ کوبان pos polisi?'],
    ['zero-width and control characters', 'ko\u200bban\u0000 wh\u0007at\u200d is it?'],
    ['a right-to-left override', '\u202Ewhat is a koban?\u202C'],
    ['invalid UTF-16 surrogates', 'koban \ud800 visit \udfff'],
    ['lunr query syntax', 'title:koban^10 +visit -dress~2 *'],
  ];
  it.each(cases)('replies politely to %s', async (_name, text) => {
    const reply = await chat().send(text);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.text).not.toMatch(/Error|at .*\.ts:\d+|undefined/);
  });

  const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
  const prototypeCases = LANGUAGES.flatMap((lang) =>
    PROTOTYPE_NAMES.flatMap((word) =>
      [word, `what is ${word}?`, `language ${word}`, `/course ${word}`, `<!${word}>`].map(
        (text) => [lang, text] as const,
      ),
    ),
  );
  it.each(prototypeCases)(
    'answers %s "%s" without an internal error (prototype names)',
    async (lang, text) => {
      const reply = await chat().send(text, { lang });
      expect(reply.text.length).toBeGreaterThan(0);
      expect(reply.text).not.toBe(runtime.i18n.t(lang)('errors.internal'));
      expect(reply.text).not.toMatch(/native code|\[object Object\]/);
    },
  );

  it('asks to shorten a question over 2,000 characters, in the user language', async () => {
    const text = 'Apa pakaian yang harus dipakai saat kunjungan? '.repeat(50);
    const reply = await chat().send(text);
    expect(reply.lang).toBe('id');
    expect(reply.text).toBe(
      runtime.i18n.t('id')('fallback.tooLong', { length: text.trim().length, max: 2000 }),
    );
  });

  it('cleans zero-width characters so the question is still understood', async () => {
    await chat().expect('what is a ko\u200bban?', { intent: 'faq', entryId: 'koban-what-is' });
  });
});

describe('answers without a translation', () => {
  const small = testRuntime(join(import.meta.dirname, 'fixtures', 'kb-small'));
  afterAll(() => small.close());

  it('answers in English with a note in the user language when no Japanese version exists', async () => {
    const c = new Conversation(small, 'ja-user');
    await c.expect('language ja', { lang: 'ja' });
    const reply = await c.expect('wallet lost?', { intent: 'faq', lang: 'ja', entryId: 'english-only' });
    expect(reply.title).toBe('Where is the lost property office?');
    expect(reply.notes).toEqual([small.i18n.t('ja')('faq.englishOnly', { language: '日本語' })]);
  });
});
