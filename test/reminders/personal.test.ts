import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbValidate } from '../../src/cli/kb.js';
import { loadConfig } from '../../src/config.js';
import type { Lang } from '../../src/core/languages.js';
import { readReminderPhrases } from '../../src/engines/reminders/phrases.js';
import { MemoryReminderSink } from '../../src/engines/reminders/sink.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE } from '../helpers/conversation.js';

// Monday 25 January 2027, 08:00 in Tokyo; the DNA lecture is on Thursday the 28th at 09:30.
const NOW = new Date('2027-01-24T23:00:00Z');

describe('personal reminders', () => {
  let runtime: Runtime;
  const sink = new MemoryReminderSink();
  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'koban-test-'));
    const config = loadConfig({ KOBAN_KNOWLEDGE: REPO_KNOWLEDGE, KOBAN_DATA_DIR: data });
    runtime = await createRuntime(config, { clock: () => NOW, reminderSink: sink });
  }, 120_000); // the first index build of the repository's knowledge is slow on a busy machine
  afterAll(() => runtime.close());

  const cases: Array<{ lang: Lang; user: string; text: string; minutes: number; confirm: string }> = [
    {
      lang: 'en',
      user: 'u-en',
      text: 'remind me 30 minutes before the DNA lecture',
      minutes: 30,
      confirm: '30 minutes before **Lecture: DNA analysis**',
    },
    {
      lang: 'ja',
      user: 'u-ja',
      text: 'DNA型鑑定の講義の1時間前にリマインドして',
      minutes: 60,
      confirm: '**講義：DNA型鑑定**（1月28日木曜日 9:30）の1 時間前',
    },
    {
      lang: 'id',
      user: 'u-id',
      text: 'tolong ingatkan saya 15 menit sebelum kuliah analisis DNA',
      minutes: 15,
      confirm: '15 menit sebelum **Kuliah: Analisis DNA**',
    },
    {
      lang: 'vi',
      user: 'u-vi',
      text: 'nhắc tôi 2 tiếng trước bài giảng phân tích ADN',
      minutes: 120,
      confirm: '2 giờ trước **Bài giảng: Phân tích ADN**',
    },
    {
      lang: 'th',
      user: 'u-th',
      text: 'ช่วยเตือนก่อนบรรยายการตรวจดีเอ็นเอ 45 นาที',
      minutes: 45,
      confirm: '45 นาที ก่อน **บรรยาย: การตรวจดีเอ็นเอ**',
    },
    {
      lang: 'tl',
      user: 'u-tl',
      text: 'paalalahanan mo ako 20 minuto bago ang lektura sa pagsusuri ng DNA',
      minutes: 20,
      confirm: '20 minuto bago ang **Lektura: Pagsusuri ng DNA**',
    },
    {
      lang: 'tr',
      user: 'u-tr',
      text: 'DNA analizi dersinden 10 dakika önce bana hatırlat',
      minutes: 10,
      confirm: '**Ders: DNA analizi**',
    },
    {
      lang: 'fa',
      user: 'u-fa',
      text: '۳۰ دقیقه پیش از سخنرانی تحلیل دی‌ان‌ای به من یادآوری کن',
      minutes: 30,
      confirm: '**سخنرانی: تحلیل دی‌ان‌ای**',
    },
  ];

  for (const c of cases) {
    it(`stores "${c.text}" and confirms in ${c.lang}`, async () => {
      const chat = new Conversation(runtime, c.user);
      const reply = await chat.send(c.text);
      expect(reply.intent).toBe('reminder');
      expect(reply.lang).toBe(c.lang);
      expect(reply.text.replace(/\u202f/g, ' ')).toContain(c.confirm);
      const stored = await runtime.store.reminders.forUser(`console:${c.user}`);
      expect(stored.map((r) => [r.courseId, r.sessionId, r.offsetMinutes, r.lang])).toEqual([
        ['crim-id-2027', 'lecture-dna', c.minutes, c.lang],
      ]);
    });
  }

  it('hands the reminder to the sink as a direct message in the user language, due at the right time', async () => {
    const chat = new Conversation(runtime, 'dm');
    await chat.send('ingatkan saya 1 jam sebelum kuliah analisis DNA');
    const [stored] = await runtime.store.reminders.forUser('console:dm');
    const item = sink.get(`personal:${stored?.id}`);
    // 09:30 in Tokyo on the 28th, one hour before.
    expect(item?.at.toISOString()).toBe('2027-01-27T23:30:00.000Z');
    expect(item?.targets).toEqual([{ user: 'console:dm', lang: 'id' }]);
    expect(item?.replies.id?.text).toContain('**Kuliah: Analisis DNA** dimulai dalam 1 jam');
    // The timetable's own reminders were planned at start too (no channel is linked here, so none).
    expect(sink.pending().every((i) => i.origin === 'personal')).toBe(true);
  });

  it('keeps one reminder when asked twice', async () => {
    const chat = new Conversation(runtime, 'twice');
    await chat.send('remind me 30 minutes before the DNA lecture');
    await chat.send('Remind me 30 minutes before the DNA lecture!');
    expect(await runtime.store.reminders.forUser('console:twice')).toHaveLength(1);
  });

  it('asks which session when none is named, and stores nothing', async () => {
    const chat = new Conversation(runtime, 'vague');
    const reply = await chat.send('remind me 30 minutes before the thing');
    expect(reply.text).toContain('Which session should I remind you of?');
    expect(await runtime.store.reminders.forUser('console:vague')).toEqual([]);
  });

  it('says so when the session is over', async () => {
    const chat = new Conversation(runtime, 'late');
    const reply = await chat.send(
      'remind me 2 hours before the opening ceremony of the criminal identification course',
    );
    expect(reply.text).toContain('starts too soon or is over');
    expect(await runtime.store.reminders.forUser('console:late')).toEqual([]);
  });

  it('reads the phrasings file and the time asked in every script', () => {
    const phrases = readReminderPhrases(REPO_KNOWLEDGE);
    expect(phrases.parse('remind me 1 hour 30 minutes before the visit').minutes).toBe(90);
    expect(phrases.parse('remind me before the visit').minutes).toBe(30);
    expect(phrases.parse('เตือนฉัน ๒ ชั่วโมง ก่อน').minutes).toBe(120);
    expect(phrases.parse('remind me 30 minutes before the visit').rest).toBe('before the visit');
    expect(phrases.asks('what is the schedule tomorrow?')).toBe(false);
  });

  it('has kb validate name a broken phrasings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-kb-'));
    cpSync(REPO_KNOWLEDGE, dir, { recursive: true });
    writeFileSync(join(dir, 'intents', 'reminders.yaml'), 'ask: {en: ["remind me"]}\ndefault_minutes: 0\n');
    const lines: string[] = [];
    expect(kbValidate(dir, (s) => lines.push(s))).toBe(1);
    expect(lines.join('\n')).toMatch(/intents\/reminders\.yaml: .*reminders\.yaml/);
    expect(lines.join('\n')).toContain('default_minutes');
  });
});
