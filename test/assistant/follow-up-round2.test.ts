/**
 * Follow-up families of issue 14, round 2 (s11): a language request with a reason and no comma
 * (or the reason first), "I meant X, not Y", chat softeners ("tho", "btw"), duration questions, and
 * a thanks followed by a follow-up sentence. Forms written for this test, none taken from the
 * development or held-out files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFollowUpPhrases } from '../../src/engines/conversation/follow-up-phrases.js';
import type { Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from '../helpers/conversation.js';

const phrases = readFollowUpPhrases(join(REPO_KNOWLEDGE));

describe('a language request with a reason', () => {
  it.each([
    ['en', 'in thai pls for my colleague', 'th'],
    ['id', 'tolong pake bahasa inggris ya buat temen sekamar', 'en'],
    ['id', 'bisa ditulis pake bhs inggris? mau aku kirim ke atasan', 'en'],
    ['tl', 'english po sana para sa kasama ko', 'en'],
    ['th', 'ขอเป็นภาษาอังกฤษได้ไหม จะเอาไปให้เพื่อนดู', 'en'],
    ['vi', 'cho minh ban tieng nhat nhe de dua cho thay', 'ja'],
    ['tr', 'hocaya göstermem lazım, japonca yazabilir misin', 'ja'],
    ['tr', 'arkadaşım için ingilizce yazar mısın', 'en'],
    ['fa', 'لطفا به انگلیسی واسه دوستم', 'en'],
    ['ja', 'ルームメイトに見せたいので英語でお願いします', 'en'],
    ['ja', '英語でもお願いできますか', 'en'],
    ['fa', 'انگلیسیش رو هم میدی؟', 'en'],
  ] as const)('[%s] %s → %s', (lang, text, target) => {
    expect(phrases.match(text, lang)).toMatchObject({ kind: 'language', target, unknown: [] });
  });

  it('leaves a question that only names a language alone', () => {
    expect(phrases.match('what should i wear for the visit in japanese', 'en')).toBeUndefined();
    expect(phrases.match('in english please, where is the prayer room?', 'en')?.kind).not.toBe('language');
  });
});

describe('"I meant X, not Y"', () => {
  it.each([
    ['en', 'no i meant the visitors, not the trainees', 'visitors', 'the trainees'],
    ['id', 'maksudnya delegasi bulan depan, bukan peserta', 'delegasi bulan depan', 'peserta'],
    // Folded: Vietnamese without its tone marks.
    ['vi', 'ý tôi là đoàn đại biểu, không phải học viên', 'doan dai bieu', 'hoc vien'],
  ] as const)('[%s] %s → "%s", not "%s"', (lang, text, topic, notMeant) => {
    expect(phrases.match(text, lang)).toMatchObject({ kind: 'meant', topic, notMeant });
  });

  it('keeps a correction that opens with the negation whole', () => {
    const found = phrases.match('not that, i mean the laundry room', 'en');
    expect(found).toMatchObject({ kind: 'meant' });
    expect(found?.kind === 'meant' ? found.notMeant : 'x').toBeUndefined();
  });
});

describe('chat softeners and duration forms', () => {
  it.each([
    ['en', 'where is that btw', 'where'],
    ['en', 'when does it end tho', 'end'],
    ['th', 'ใช้เวลานานไหมครับ', 'end'],
    ['vi', 'co lau khong vay', 'end'],
    ['tl', 'matagal ba yun', 'end'],
    ['tr', 'uzun sürer mi peki', 'end'],
    ['fa', 'چقدر طول میکشه', 'end'],
    ['ja', '時間かかる？', 'end'],
    ['tl', 'pakidetalye po', 'more'],
  ] as const)('[%s] %s → %s', (lang, text, kind) => {
    expect(phrases.match(text, lang)?.kind).toBe(kind);
  });
});

describe('after an answer', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  it('reads "ok, thanks. and the next one?" as the next session', async () => {
    await runtime.store.updateUser('console:r2-next', { course: 'koban-seminar-2027' });
    const c = new Conversation(runtime, 'r2-next');
    const now = { now: new Date('2027-01-21T08:00:00+09:00') };
    await c.send('when is the crime mapping exercise', now);
    const r = await c.send('sige salamat po. tapos ano susunod?', now);
    expect(r.intent).toBe('schedule');
    expect((r.sessions ?? []).map((s) => s.sessionId)).toEqual(['ccc-visit']);
  });

  it('keeps a thanks with nothing after it a thanks', async () => {
    const c = new Conversation(runtime, 'r2-thanks');
    await c.send('wifi di asrama gimana caranya?');
    expect(await c.send('oke makasih banyak')).toMatchObject({ intent: 'smalltalk', kind: 'thanks' });
  });

  it('keeps the answer when "not Y" rules out something else', async () => {
    const c = new Conversation(runtime, 'r2-keep');
    expect(await c.send('can someone in a wheelchair join the koban visit')).toMatchObject({
      entryId: 'visit-accessibility',
    });
    expect(await c.send('i mean for the delegation next month, not the trainees')).toMatchObject({
      entryId: 'visit-accessibility',
    });
  });

  it('moves on when "not Y" rules out the answer', async () => {
    const c = new Conversation(runtime, 'r2-move');
    expect(await c.send('how do i connect to the wifi')).toMatchObject({ entryId: 'trainee-wifi-it' });
    const r = await c.send('i meant the prayer room, not the wifi');
    expect(r.entryId).toBe('trainee-prayer-room');
  });

  it.each([
    ['th', 'ยกเลิกการดูงานป้อมตำรวจยังไง', 'ถ้าแค่เลื่อนวันล่ะ', 'visit-cancel-change'],
    ['fa', 'برای بازدید کوبان چی بپوشیم', 'بعضی ها میخوان با یونیفرم بیان، اشکال نداره؟', 'visit-dress-code'],
  ] as const)(
    '[%s] answers "%s" then "what if / is that ok" with the same entry',
    async (lang, first, then, id) => {
      const c = new Conversation(runtime, `r2-about-${lang}`);
      expect(await c.send(first)).toMatchObject({ entryId: id });
      expect(await c.send(then)).toMatchObject({ intent: 'faq', entryId: id });
    },
  );

  it('leaves a new question with a condition cue to the FAQ', async () => {
    const c = new Conversation(runtime, 'r2-about-new');
    await c.send('how do i connect to the wifi');
    const r = await c.send('what if i get sick at night');
    expect(r.entryId).not.toBe('trainee-wifi-it');
  });

  it('answers a language request with a reason in the language asked', async () => {
    const c = new Conversation(runtime, 'r2-lang');
    await c.send('paano mag connect sa wifi');
    const r = await c.send('paki-english po para maipakita ko sa kasama ko');
    expect(r).toMatchObject({ entryId: 'trainee-wifi-it', lang: 'en' });
  });
});
