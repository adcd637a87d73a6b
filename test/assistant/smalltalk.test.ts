import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SmalltalkMatcher } from '../../src/assistant/smalltalk-match.js';
import { kbValidate } from '../../src/cli/kb.js';
import { LANGUAGES } from '../../src/core/languages.js';
import { smalltalkSchema } from '../../src/engines/knowledge/smalltalk.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const runtime = await testRuntime();
afterAll(() => runtime.close());
let n = 0;
const chat = (): Conversation => new Conversation(runtime, `smalltalk-user-${++n}`);

describe('small talk, help and "about the bot", learned from knowledge/smalltalk/', () => {
  // Wordings that are not kept verbatim in knowledge/smalltalk/: the classifier must generalise.
  it.each([
    ['thanks a lot, that really helped', 'smalltalk', 'en'],
    ['hey there, good morning!', 'smalltalk', 'en'],
    ['what kind of things can you do?', 'help', 'en'],
    ['are you a real human?', 'smalltalk', 'en'],
    ['ok makasih banyak ya kak', 'smalltalk', 'id'],
    ['本当にありがとうございました！', 'smalltalk', 'ja'],
    ['あなたは何ができますか？', 'help', 'ja'],
    ['ขอบคุณมากๆ ครับ', 'smalltalk', 'th'],
    // Chat spellings of the polite particles (ค่า for ค่ะ, คับ for ครับ): "ค่า" alone is also "value".
    ['ขอบคุณค่าา', 'smalltalk', 'th'],
    ['ขอบคุณมากๆ คับ', 'smalltalk', 'th'],
    ['ありがとう！ほんと助かる', 'smalltalk', 'ja'],
    ['çok çok teşekkürler', 'smalltalk', 'tr'],
    // Stretched letters, and Latin letters glued to Thai or Japanese.
    ['hiiii there', 'smalltalk', 'en'],
    ['thanksss', 'smalltalk', 'en'],
    ['เป็นAIหรือเปล่า', 'smalltalk', 'th'],
  ] as const)('"%s" is %s', async (text, intent, lang) => {
    await chat().expect(text, { intent, lang });
  });

  it('says plainly that it is an automated assistant when asked "are you a bot?"', async () => {
    const reply = await chat().expect('are you a bot?', { intent: 'smalltalk' });
    expect(reply.text).toBe(runtime.i18n.t('en')('smalltalk.about'));
  });

  it('gives the coordination office contact from center.yaml to "I want to talk to a person"', async () => {
    const reply = await chat().expect('I want to talk to a person please', { intent: 'smalltalk' });
    expect(reply.text).toContain('coordinator@example.org');
    expect(reply.text).toContain('Training Coordination Office');
  });

  it('answers "what can you do?" with a menu whose buttons work', async () => {
    const c = chat();
    const menu = await c.expect('what can you do?', { intent: 'help', lang: 'en' });
    expect(menu.buttons).toHaveLength(5);
    const [ask, timetable, visit, language, person] = menu.buttons;
    if (!ask || !timetable || !visit || !language || !person) throw new Error('the menu has five buttons');
    // Without a coordinator channel the person button gives the office's contacts.
    const contacts = await c.expect('', { intent: 'smalltalk' }, { action: person.action });
    expect(contacts.text).toContain('coordinator@example.org');
    expect(visit.action).toEqual({ type: 'visit' });
    const asked = await c.expect('', { intent: 'help' }, { action: ask.action });
    expect(asked.text).toBe(runtime.i18n.t('en')('help.ask'));
    await c.expect('', { intent: 'language' }, { action: language.action });
    expect(timetable.label).toBe(runtime.i18n.t('en')('help.menu.timetable'));
  });

  it('takes a thanks right after an answer as a thanks, not a new question', async () => {
    const c = chat();
    await c.expect('what is a koban?', { intent: 'faq', entryId: 'koban-what-is' });
    await c.expect('great, thanks, that helps!', { intent: 'smalltalk' });
  });

  it('keeps questions that open with a greeting or thanks as questions', async () => {
    await chat().expect('thanks! and where is the cafeteria?', { intent: 'faq' });
    await chat().expect('hello, what should I wear on a koban visit?', { intent: 'faq' });
  });

  it('has every small-talk and menu text in every language', () => {
    for (const lang of LANGUAGES) {
      for (const key of [
        'smalltalk.about',
        'smalltalk.human',
        'help.ask',
        'help.menu.ask',
        'help.menu.visit',
      ]) {
        expect(runtime.i18n.t(lang)(key), `${lang} ${key}`).not.toBe(key);
      }
    }
  });

  it('learns a new wording from the knowledge files, with no code change', () => {
    const kb = {
      entries: new Map(),
      offTopic: {},
      smalltalk: { en: { thanks: ['thanks'], greeting: ['hello'] } },
    };
    const before = new SmalltalkMatcher(kb).match('gracias amigo');
    expect(before?.kind).not.toBe('thanks');
    kb.smalltalk.en.thanks.push('gracias amigo');
    expect(new SmalltalkMatcher(kb).match('gracias amigo')?.kind).toBe('thanks');
  });
});

describe('knowledge/smalltalk validation', () => {
  it('rejects an unknown kind and empty phrasings', () => {
    expect(smalltalkSchema.safeParse({ greeting: ['hi'], compliments: ['nice'] }).success).toBe(false);
    expect(smalltalkSchema.safeParse({ thanks: ['  '] }).success).toBe(false);
    expect(smalltalkSchema.safeParse({ thanks: ['thanks', 42] }).success).toBe(true);
  });

  it('kb validate reports a bad smalltalk file by name, and accepts a good one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'kb-small'), dir, { recursive: true });
    mkdirSync(join(dir, 'smalltalk'));
    writeFileSync(join(dir, 'smalltalk', 'en.yaml'), 'greeting:\n  - hi\ncompliments:\n  - nice bot\n');
    const bad: string[] = [];
    expect(kbValidate(dir, (s) => bad.push(s))).toBe(1);
    expect(bad.join('\n')).toMatch(/smalltalk[\\/]en\.yaml/);
    writeFileSync(join(dir, 'smalltalk', 'en.yaml'), 'greeting:\n  - hi\nthanks:\n  - cheers mate\n');
    const good: string[] = [];
    expect(kbValidate(dir, (s) => good.push(s))).toBe(0);
  });
});
