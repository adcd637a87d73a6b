/**
 * Conversation gaps found in session 7 (issue 14): goodbyes that name a day, long requests for a
 * person or for help, short follow-ups, corrections inside the visit form, names matched across
 * languages by accident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const now = { now: new Date('2027-01-20T08:00:00+09:00') };
let runtime: Runtime;
let n = 0;
beforeAll(async () => {
  runtime = await testRuntime();
}, 120_000);
afterAll(async () => runtime.close());

const chat = async (course = 'koban-seminar-2027'): Promise<Conversation> => {
  const user = `gaps-${++n}`;
  await runtime.store.updateUser(`console:${user}`, { course });
  return new Conversation(runtime, user);
};

describe('a goodbye that names a day', () => {
  it.each([
    ['ok, see you tomorrow guys', 'en'],
    ['oke deh, sampai jumpa besok ya', 'id'],
    ['tamam hocam yarın görüşürüz', 'tr'],
    ['じゃあ、また明日です', 'ja'],
    ['باشه، فردا می‌بینمت', 'fa'],
    ['vâng, hẹn gặp lại ngày mai ạ', 'vi'],
    ['sige po, kita kits bukas', 'tl'],
    ['โอเค เจอกันพรุ่งนี้ครับ', 'th'],
  ] as const)('"%s" is a goodbye, not a schedule question', async (text, lang) => {
    const c = await chat();
    await c.expect(text, { intent: 'smalltalk', kind: 'bye', lang }, now);
  });

  it('is a goodbye right after a schedule answer too (not "and tomorrow?")', async () => {
    const c = await chat();
    await c.expect('what do we have today?', { intent: 'schedule' }, now);
    await c.expect('great, see you tomorrow then', { intent: 'smalltalk', kind: 'bye' }, now);
  });

  it.each([
    ['see you tomorrow, what time do we start?', 'en'],
    ['sampai jumpa besok, jam berapa mulai kelasnya?', 'id'],
    ['yarın görüşürüz, ders kaçta başlıyor?', 'tr'],
  ] as const)('"%s" still asks about the day', async (text, lang) => {
    const c = await chat();
    await c.expect(text, { intent: 'schedule', lang }, now);
  });
});

describe('a request for a person or for help inside a longer message', () => {
  it.each([
    [
      'sorry but this really is not helping, could I please speak with one of the coordinators about my problem',
      'en',
    ],
    [
      'maaf kak, jawabannya kurang membantu, saya mau bicara langsung dengan koordinator kursus soal masalah saya',
      'id',
    ],
    [
      'xin lỗi nhưng câu trả lời không giúp được gì, mình có thể nói chuyện với điều phối viên của khóa học không',
      'vi',
    ],
    [
      'özür dilerim ama bu pek yardımcı olmadı, kursun koordinatörlerinden biriyle görüşebilir miyim lütfen',
      'tr',
    ],
    ['ببخشید ولی این کمکی نکرد، میشه لطفا با یکی از هماهنگ‌کننده‌های دوره درباره مشکلم صحبت کنم', 'fa'],
    [
      'pasensya na pero hindi ito nakakatulong, pwede po ba akong makausap ng isa sa mga coordinator tungkol sa problema ko',
      'tl',
    ],
    ['ขอโทษนะครับ แต่ไม่ค่อยช่วยเลย ขอคุยกับผู้ประสานงานของหลักสูตรเรื่องปัญหาของผมได้ไหมครับ', 'th'],
    ['すみません、あまり役に立たないので、コースのコーディネーターの方と直接話せますか', 'ja'],
  ] as const)('"%s" asks for a person', async (text, lang) => {
    const c = await chat();
    await c.expect(text, { intent: 'smalltalk', kind: 'human', lang }, now);
  });

  it('reads a long "what can you do" as help, not as a request for a person', async () => {
    const c = await chat();
    await c.expect(
      "ok so honestly I'm not sure what this bot can do, can you tell me what kinds of things you can help me with",
      { intent: 'help' },
      now,
    );
  });

  it.each([
    'how do I contact the coordinator if I will be absent tomorrow?',
    'what is the phone number of the course coordinator?',
  ])('leaves the FAQ question "%s" with the FAQ', async (text) => {
    const c = await chat();
    const reply = await c.send(text, now);
    expect(reply.intent).toBe('faq');
  });
});

describe('casual small talk in unspaced scripts', () => {
  it.each([
    ['よろしくー', 'greeting', 'ja'],
    ['ばいばいー', 'bye', 'ja'],
    ['きみだれ？', 'about', 'ja'],
    ['เป็นAIเหรอครับ', 'about', 'th'],
  ] as const)('"%s" is %s', async (text, kind, lang) => {
    const c = await chat();
    await c.expect(text, { intent: 'smalltalk', kind, lang }, now);
  });
});

describe('a correction while the visit form is open', () => {
  it('leaves the form and answers what was meant; the form is gone afterwards', async () => {
    const c = await chat();
    await c.expect('I want to request a visit', { intent: 'visit' }, now);
    await c.expect('no, I meant the dress code for the visit', { intent: 'faq' }, now);
    expect(await runtime.store.visits.draft('console:' + c.userId)).toBeUndefined();
    await c.expect('what do we have today?', { intent: 'schedule' }, now);
  });

  it('re-routes a correction that names a schedule question, in Indonesian', async () => {
    const c = await chat();
    await c.expect('mau daftar kunjungan', { intent: 'visit', lang: 'id' }, now);
    await c.expect('bukan, maksud saya jadwal besok', { intent: 'schedule', lang: 'id' }, now);
  });

  it('still reads an answer that merely starts with "no" as the answer to the form', async () => {
    const c = await chat();
    await c.expect('I want to request a visit', { intent: 'visit' }, now);
    await c.expect('no, the 14th', { intent: 'visit' }, now);
    expect(await runtime.store.visits.draft('console:' + c.userId)).toBeDefined();
  });
});

describe('short follow-ups with particles and question marks', () => {
  const evening = { now: new Date('2027-01-25T18:00:00+09:00') };
  it.each([
    ['en', 'when is the fingerprint lecture?', 'and then?'],
    ['vi', 'bài giảng vân tay khi nào?', 'mấy giờ tan?'],
    ['th', 'บรรยายลายนิ้วมือเมื่อไหร่ครับ', 'ที่ไหนอะ'],
    ['id', 'kapan kuliah sidik jari?', 'di mana tuh?'],
    ['tr', 'parmak izi dersi ne zaman?', 'sonra?'],
    ['ja', '指紋の講義はいつ？', 'つぎ？'],
  ] as const)('[%s] "%s" then "%s" continues the timetable answer', async (lang, first, next) => {
    const c = await chat('crim-id-2027');
    await c.expect(first, { intent: 'schedule', lang }, evening);
    const reply = await c.send(next, evening);
    expect(reply.intent).toBe('schedule');
    expect(reply.sessions?.length).toBeGreaterThan(0);
  });

  it.each([
    ['ja', '見学の服装は？', 'くわしく'],
    ['tr', 'koban ziyaretinde ne giymeliyim?', 'biraz daha anlat'],
  ] as const)('[%s] "%s" then "%s" tells more about the same entry', async (lang, first, more) => {
    const c = await chat();
    const answer = await c.expect(first, { intent: 'faq', lang }, now);
    const reply = await c.send(more, now);
    expect(reply.intent).toBe('faq');
    expect(reply.entryId).toBe(answer.entryId);
  });

  it('reads "いや、…のこと" as "no, I meant …"', async () => {
    const c = await chat();
    const answer = await c.expect('見学の服装は？', { intent: 'faq', lang: 'ja' }, now);
    const reply = await c.send('いや、天気のこと', now);
    expect(reply.intent).toBe('faq');
    expect(reply.entryId).not.toBe(answer.entryId);
  });
});
