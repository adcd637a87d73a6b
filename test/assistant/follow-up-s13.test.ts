/**
 * Follow-up families of issue 14, session 13: a question about the FAQ answer just given without a
 * cue word (answered from the FAQ handler's own search), place and "where is it held" requests,
 * "the next slot", "how does tomorrow look", one chat word beside a follow-up's own, and sessions
 * named by unaccented Vietnamese words one letter from other titles. Forms written for this test,
 * none taken from the development or held-out files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { readFollowUpPhrases } from '../../src/engines/conversation/follow-up-phrases.js';
import type { Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from '../helpers/conversation.js';

const phrases = readFollowUpPhrases(join(REPO_KNOWLEDGE));

describe('place, "held", next-slot and another-day forms', () => {
  it.each([
    ['en', 'where is it taking place', 'where'],
    ['en', 'what is the venue', 'where'],
    ['ja', '場所教えて', 'where'],
    ['ja', '授業の場所はどこ', 'where'],
    ['id', 'diadakan di mana ya', 'where'],
    ['vi', 'dien ra o dau vay', 'where'],
    ['th', 'จัดขึ้นที่ไหนคะ', 'where'],
    ['tl', 'saan po ginaganap', 'where'],
    ['tr', 'mekan neresi hocam', 'where'],
    ['fa', 'آدرسش رو بگو', 'where'],
    ['en', 'and the next session?', 'next'],
    ['th', 'คาบถัดไปคืออะไร', 'next'],
    ['tr', 'sonraki bölüm ne', 'next'],
    ['fa', 'قسمت بعدی چیه', 'next'],
    ['ja', 'そのあと何ある？', 'next'],
  ] as const)('[%s] %s → %s', (lang, text, kind) => {
    expect(phrases.match(text, lang)?.kind ?? phrases.classify(text, lang)?.kind).toBe(kind);
  });

  it('drops a correction lead from the topic meant', () => {
    expect(phrases.match('ผิด หมายถึงห้องซักผ้า', 'th')).toMatchObject({ kind: 'meant', topic: 'ห้องซักผ้า' });
    expect(phrases.match('ay hindi, ibig kong sabihin labahan', 'tl')).toMatchObject({
      kind: 'meant',
      topic: 'labahan',
    });
  });
});

const ids = (r: Reply) => (r.sessions ?? []).map((s) => s.sessionId);

describe('after an answer', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  const scheduleChat = async (user: string, first: string, at = '2027-01-21T08:00:00+09:00') => {
    await runtime.store.updateUser(`console:${user}`, { course: 'koban-seminar-2027' });
    const c = new Conversation(runtime, user);
    const now = { now: new Date(at) };
    const r = await c.send(first, now);
    return { r, send: (text: string) => c.send(text, now) };
  };

  it('answers a question about the FAQ answer just given with that entry, without a cue word', async () => {
    const c = new Conversation(runtime, 's13-about');
    expect(await c.send('what should i wear for the koban visit?')).toMatchObject({
      entryId: 'visit-dress-code',
    });
    expect(await c.send('are sneakers fine?')).toMatchObject({ intent: 'faq', entryId: 'visit-dress-code' });
  });

  it('leaves the same question alone with no FAQ answer before it', async () => {
    const c = new Conversation(runtime, 's13-about-cold');
    expect((await c.send('are sneakers fine?')).intent).toBe('fallback');
  });

  it('reads "the next slot" after a day\'s answer as the session after', async () => {
    const { send } = await scheduleChat('s13-next', "what's on today?");
    expect(ids(await send("what's the next slot"))).toEqual(['ccc-visit']);
  });

  it('reads a session named beside a follow-up word as a new schedule question', async () => {
    const { send } = await scheduleChat('s13-named', '今日の予定は？');
    expect(ids(await send('交通の講義はいつ？'))).toEqual(['lecture-traffic']);
  });

  it('names one session by unaccented Vietnamese words, and "the one after" follows it', async () => {
    const { r, send } = await scheduleChat('s13-vi', 'bai giang phong chong toi pham may gio');
    expect(ids(r)).toEqual(['lecture-crime-prevention']);
    expect(ids(await send('ok cam on. tiep theo la gi?'))).toEqual(['exercise-crime-mapping']);
  });

  it('reads a follow-up question before a remark without the remark, in any language', async () => {
    const visitDay = '2027-01-26T07:40:00+09:00';
    const en = await scheduleChat('s13-remark-en', 'where is the koban visit today', visitDay);
    expect(ids(en.r)).toEqual(['koban-visit-asakusa']);
    expect(await en.send('what time does it end? i have to call my wife')).toMatchObject({
      intent: 'schedule',
      text: expect.stringContaining('12:00'),
    });
    const ja = await scheduleChat('s13-remark-ja', '今日の交番実習はどこですか', visitDay);
    expect(await ja.send('何時に終わりますか？家に電話したいので')).toMatchObject({ intent: 'schedule' });
    const tr = await scheduleChat('s13-remark-tr', 'bugün koban ziyareti nerede', visitDay);
    expect(await tr.send('ne zaman bitiyor? eşimi arayacağım')).toMatchObject({ intent: 'schedule' });
  });

  it('answers a question of its own after the question mark as a new question', async () => {
    const { send } = await scheduleChat(
      's13-remark-q',
      'where is the koban visit today',
      '2027-01-26T07:40:00+09:00',
    );
    expect(await send('where is it? and what should i wear')).toMatchObject({
      intent: 'faq',
      entryId: 'visit-dress-code',
    });
  });

  it.each([
    ['en', 'when is the koban visit today', 'and the one before?'],
    ['ja', '今日の交番実習は何時？', 'その前は？'],
    ['id', 'kunjungan koban hari ini jam berapa', 'kalau sebelumnya?'],
    ['vi', 'hôm nay đi koban mấy giờ', 'còn trước đó?'],
    ['th', 'โคบันวันนี้กี่โมงครับ', 'แล้วอันก่อนหน้าคืออะไร'],
    ['tl', 'kailan yung koban visit ngayon', 'e yung nauna dun?'],
    ['tr', 'bugün koban ziyareti ne zaman', 'ondan önce ne var?'],
    ['fa', 'بازدید کوبان امروز کی است', 'قبلش چی؟'],
  ] as const)(
    '[%s] reads "the one before" after a session as the session before it',
    async (lang, first, then) => {
      const { r, send } = await scheduleChat(`s13-prev-${lang}`, first, '2027-01-26T07:40:00+09:00');
      expect(ids(r)).toContain('koban-visit-asakusa');
      expect(ids(await send(then))).toEqual(['lecture-lost-property']);
    },
  );

  it('says so when nothing comes before the session', async () => {
    const { send } = await scheduleChat(
      's13-prev-none',
      'when is the opening ceremony',
      '2027-01-18T07:40:00+09:00',
    );
    expect(await send('and the one before?')).toMatchObject({
      intent: 'schedule',
      sessions: [],
      text: expect.stringContaining('nothing before'),
    });
  });
});
