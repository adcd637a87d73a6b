/**
 * Follow-ups and thanks by families of forms (issue 14, s10): a negated correction "not X, Y" in
 * the languages that say it so, the longest follow-up phrase deciding the kind, and an
 * acknowledgement around a thanks ("cool thanks") staying a thanks. Forms written for this test,
 * none taken from the development or held-out files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmalltalkMatcher } from '../../src/assistant/smalltalk-match.js';
import { readFollowUpPhrases } from '../../src/engines/conversation/follow-up-phrases.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import type { Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from '../helpers/conversation.js';

const phrases = readFollowUpPhrases(join(REPO_KNOWLEDGE));
const kb = loadKnowledge(REPO_KNOWLEDGE).knowledge;
if (!kb) throw new Error('the repository knowledge folder does not load');
const smalltalk = new SmalltalkMatcher(kb);

describe('negated corrections ("not X, Y")', () => {
  it.each([
    ['en', 'not the wifi one, the prayer room', 'prayer room'],
    ['en', 'no, not wifi, prayer room', 'prayer room'],
    ['id', 'bkn wifi, mushola', 'mushola'],
    ['tl', 'hindi wifi po, yung prayer room', 'prayer room'],
    ['tr', 'wifi değil, mescit', 'mescit'],
    ['tr', 'wifi değil mescit', 'mescit'],
    ['fa', 'وای‌فای نه، نمازخانه', 'نمازخانه'],
  ] as const)('[%s] %s → meant "%s"', (lang, text, topic) => {
    const found = phrases.match(text, lang);
    expect(found).toMatchObject({ kind: 'meant' });
    // The negated word is left out of the topic: it would pull the search back to the last answer.
    expect(found?.kind === 'meant' ? found.topic : '').toBe(topic);
  });

  it('leaves a long question after a negation alone', () => {
    expect(
      phrases.match('not sure, what time does the bus to the airport leave on friday', 'en'),
    ).toBeUndefined();
    expect(phrases.match('bukan, tapi', 'id')?.kind).not.toBe('meant');
  });
});

describe('the longest follow-up phrase decides the kind', () => {
  it.each([
    ['tl', 'tapos ano na po', 'next'],
    ['tl', 'tapos po?', 'end'],
    ['id', 'kegiatan berikutnya apa', 'next'],
    ['fa', 'برنامه بعدی چیه', 'next'],
    ['tr', 'kaçta çıkıyoruz peki', 'end'],
    ['ja', '何号室ですか', 'where'],
  ] as const)('[%s] %s → %s', (lang, text, kind) => {
    expect(phrases.match(text, lang)?.kind).toBe(kind);
  });
});

describe('"the day after?" and other family forms', () => {
  it.each([
    ['en', 'and the following day?'],
    ['ja', '翌日は？'],
    ['id', 'kalau hari berikutnya?'],
    ['tr', 'peki ertesi gün?'],
    ['tl', 'e kinabukasan po?'],
  ] as const)('[%s] %s asks for the day after', (lang, text) => {
    expect(phrases.dayAfter(text, lang)).toBe(true);
  });

  it('leaves "the day after tomorrow" to the date parser', () => {
    expect(phrases.dayAfter('the day after tomorrow?', 'en')).toBe(false);
  });

  it.each([
    ['th', 'นัดกันที่ไหนครับ', 'where'],
    ['tr', 'nerede buluşacağız peki', 'where'],
    ['vi', 'mất bao lâu vậy', 'end'],
    ['en', 'what floor is that on', 'where'],
    ['id', 'di lantai berapa kak', 'where'],
    ['tr', 'hangi katta peki', 'where'],
    ['fa', 'کدوم طبقه است', 'where'],
    ['en', 'and when do we start?', 'start'],
    ['id', 'mulainya jam brp ya', 'start'],
    ['tr', 'peki kaçta başlar', 'start'],
    ['ja', '何時から始まる？', 'start'],
    ['tl', 'paano makarating dun', 'where'],
  ] as const)('[%s] %s → %s', (lang, text, kind) => {
    expect(phrases.match(text, lang)?.kind).toBe(kind);
  });

  it('reads a language request ending its sentence, then a reason, as the request', () => {
    expect(phrases.match('英語で返してくれますか？先輩に転送したいので', 'ja')).toMatchObject({
      kind: 'language',
      target: 'en',
    });
    expect(phrases.match('pwede sa english, para sa kasama ko sa kwarto', 'tl')).toMatchObject({
      kind: 'language',
      target: 'en',
    });
  });
});

describe('an acknowledgement around a thanks is a thanks', () => {
  it.each([
    'alright, thanks heaps',
    'kk thx',
    'tamamdır çok sağol',
    'โอเคเลย ขอบคุณครับ',
    'باشه ممنونم',
    '了解です、ありがとうございます',
    'sip, makasih kak',
    'sige po, salamat',
    'dạ, cảm ơn ạ',
  ])('%s', (text) => {
    expect(smalltalk.match(text)?.kind).toBe('thanks');
  });

  it('keeps a question after an acknowledgement a question', () => {
    expect(smalltalk.match('ok where is the laundry room')).toBeUndefined();
    expect(smalltalk.match('oke')).toBeUndefined();
  });
});

describe('after an answer', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  it('takes "oke deh makasih banyak ya" as a thanks, not as "tell me more"', async () => {
    const c = new Conversation(runtime, 'ack-id');
    await c.send('wifi di asrama gimana caranya?');
    expect(await c.send('oke deh makasih banyak ya')).toMatchObject({ intent: 'smalltalk', kind: 'thanks' });
  });

  it('answers "the day after?" with the day after the day asked about', async () => {
    await runtime.store.updateUser('console:day-after', { course: 'koban-seminar-2027' });
    const c = new Conversation(runtime, 'day-after');
    const now = { now: new Date('2027-01-21T08:00:00+09:00') };
    await c.send("what's on today?", now);
    const r = await c.send('and the following day?', now);
    expect(r.intent).toBe('schedule');
    expect((r.sessions ?? []).map((s) => s.sessionId)).toEqual(['ccc-visit', 'welcome-reception']);
  });

  it('answers "when does it start?" with the sessions just mentioned, not an FAQ entry', async () => {
    await runtime.store.updateUser('console:start', { course: 'koban-seminar-2027' });
    const c = new Conversation(runtime, 'start');
    const now = { now: new Date('2027-01-21T08:00:00+09:00') };
    await c.send('bugün ne var?', now);
    const r = await c.send('saat kaçta başlıyor acaba', now);
    expect(r.intent).toBe('schedule');
    expect((r.sessions ?? []).map((s) => s.sessionId)).toEqual([
      'lecture-crime-prevention',
      'exercise-crime-mapping',
    ]);
  });

  it('answers "X değil, Y" with Y', async () => {
    const c = new Conversation(runtime, 'neg-tr');
    expect(await c.send("wifi'ye nasıl bağlanırım?")).toMatchObject({ entryId: 'trainee-wifi-it' });
    expect(await c.send('wifi değil, namaz odası')).toMatchObject({ entryId: 'trainee-prayer-room' });
  });
});
