process.env.TZ = 'America/Los_Angeles';

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isLang } from '../../src/core/languages.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from '../helpers/conversation.js';

const NOW = new Date('2027-01-20T08:00:00+09:00');
const runtime = await testRuntime();
afterAll(() => runtime.close());

const ids = (reply: { sessions?: Array<{ courseId: string; sessionId: string }> }): string[] =>
  (reply.sessions ?? []).map((s) => `${s.courseId}/${s.sessionId}`);

describe('schedule questions and the small talk around them', () => {
  it('answers a greeting with a day as a schedule question, and "what can you do?" with help', async () => {
    const chat = new Conversation(runtime, 'chatty-trainee');
    await chat.send('/course koban-seminar-2027');
    const morning = await chat.send('good morning! what is on today?', { now: NOW, localeHint: 'en' });
    expect(morning.intent).toBe('schedule');
    expect(ids(morning)).toEqual([
      'koban-seminar-2027/koban-visit-shinjuku',
      'koban-seminar-2027/lecture-patrol',
    ]);
    const help = await chat.send('ทำอะไรได้บ้าง', { now: NOW, localeHint: 'th' });
    expect(help.intent).toBe('help');
    const afternoon = await chat.send('sorry, my phone died. what do we have this afternoon?', { now: NOW });
    expect(ids(afternoon)).toEqual(['koban-seminar-2027/lecture-patrol']);
  });
});

describe('schedule questions', () => {
  it('lists tomorrow for a trainee of the Koban seminar, with Tokyo times', async () => {
    const chat = new Conversation(runtime, 'koban-trainee');
    await chat.expect('my course is koban-seminar-2027', { intent: 'course' });
    const reply = await chat.expect('what do we have tomorrow?', { intent: 'schedule' }, { now: NOW });
    expect(ids(reply)).toEqual([
      'koban-seminar-2027/lecture-crime-prevention',
      'koban-seminar-2027/exercise-crime-mapping',
    ]);
    expect(reply.sessions?.[0]).toMatchObject({
      start: '2027-01-21T09:30:00+09:00',
      end: '2027-01-21T12:00:00+09:00',
      title: 'Lecture: Crime prevention with communities',
      location: 'Lecture Room 3, Building B',
    });
    expect(reply.title).toContain('Thursday, January 21');
    expect(reply.text).toContain('9:30');
  });

  it('says when a day has nothing on, and names the next session', async () => {
    const chat = new Conversation(runtime, 'sunday-asker');
    await chat.send('/course koban-seminar-2027');
    const reply = await chat.expect('and on Sunday?', { intent: 'schedule', sessions: [] }, { now: NOW });
    expect(reply.text).toContain(
      'No sessions on Sunday, January 24; the next one is Lecture: Daily work at a Koban',
    );
  });

  it('answers in Japanese with Japanese times and titles', async () => {
    const chat = new Conversation(runtime, 'ja-trainee');
    await chat.send('/course koban-seminar-2027');
    const reply = await chat.expect(
      '明日の予定は？',
      { intent: 'schedule', lang: 'ja' },
      { now: NOW, lang: 'ja' },
    );
    expect(reply.text).toContain('講義：地域と連携した犯罪予防');
    expect(reply.text).toContain('9時30分');
  });

  it('finds a session by name despite a typo, and attaches a calendar file', async () => {
    const chat = new Conversation(runtime, 'typo');
    await chat.send('/course crim-id-2027');
    const reply = await chat.expect('where is the fingerprnt lecture?', { intent: 'schedule' }, { now: NOW });
    expect(ids(reply)).toEqual(['crim-id-2027/lecture-fingerprint']);
    expect(reply.attachment?.contentType).toBe('text/calendar');
    expect(reply.attachment?.content).toContain('DTSTART:20270126T003000Z');
    expect(reply.attachment?.content).toContain('SUMMARY:Lecture: Fingerprint identification');
  });

  it('leaves clothing questions about a koban visit to the FAQ', async () => {
    const chat = new Conversation(runtime, 'dress');
    const reply = await chat.send('what should I wear on a koban visit?', { now: NOW });
    expect(reply.intent).toBe('faq');
    expect(reply.sessions).toBeUndefined();
  });

  it('leaves questions about the center, its history, a certificate, changes and absences to the FAQ', async () => {
    // "center" is also part of "Communications Command Center visit"; "lịch" (timetable) is also
    // the first half of "lịch sử" (history); 修了 also starts 修了試験 (final exam).
    const cases: Array<[string, string]> = [
      ['en', 'where is the center?'],
      ['ja', 'センターの場所はどこですか'],
      ['vi', 'trung tâm ở đâu'],
      ['vi', 'lịch sử koban'],
      ['ja', '修了証 いつ届く'],
      // the daily meal, not the farewell lunch on the timetable
      ['en', 'what time is lunch?'],
      ['id', 'makan siang jam brp'],
      // asking to cancel or move a visit, with a day and a session named: the FAQ's business
      ['en', 'we need to cancel our koban visit next week'],
      ['th', 'ยกเลิกนัดดูงานพรุ่งนี้ได้ไหม'],
      ['vi', 'hủy buổi thăm koban ngày mai được không'],
      // a notice of being late or absent, with a day and "class": how to report it is the FAQ's
      ['en', "I'm late for class today, the train stopped"],
      ['tl', 'traffic, late ako sa klase ngayon'],
      ['ja', '今日の授業、遅刻します'],
      ['tr', 'yarınki derse gelemeyeceğim'],
    ];
    for (const [lang, text] of cases) {
      const chat = new Conversation(runtime, `faq-not-schedule-${lang}-${text}`);
      const reply = await chat.send(text, { now: NOW, localeHint: lang });
      expect(reply.intent, text).not.toBe('schedule');
      expect(reply.sessions, text).toBeUndefined();
    }
    const exam = await new Conversation(runtime, 'exam').send('when is the exam?', { now: NOW });
    expect(exam.intent).toBe('schedule');
    const farewell = await new Conversation(runtime, 'farewell').send('when is the farewell lunch?', {
      now: NOW,
    });
    expect(ids(farewell)).toEqual(['koban-seminar-2027/farewell-lunch']);
    const ccc = await new Conversation(runtime, 'ccc').send('通信指令センター見学はいつ？', { now: NOW });
    expect(ids(ccc)).toContain('koban-seminar-2027/ccc-visit');
  });

  it('answers per course with course buttons when two courses fit and the course is unknown', async () => {
    const chat = new Conversation(runtime, 'unknown-course');
    const reply = await chat.expect('what is on 27 January?', { intent: 'schedule' }, { now: NOW });
    expect(new Set(ids(reply).map((id) => id.split('/')[0]))).toEqual(
      new Set(['koban-seminar-2027', 'crim-id-2027']),
    );
    expect(reply.buttons.map((b) => b.action)).toEqual([
      { type: 'course', courseId: 'koban-seminar-2027' },
      { type: 'course', courseId: 'crim-id-2027' },
    ]);
    const picked = await chat.send('', { action: { type: 'course', courseId: 'crim-id-2027' } });
    expect(picked.intent).toBe('course');
    const again = await chat.send('what is on 27 January?', { now: NOW });
    expect(ids(again)).toEqual(['crim-id-2027/lecture-afis', 'crim-id-2027/nrips-visit']);
  });

  it('shows the course picker for /course and understands "my course is" in Turkish', async () => {
    const chat = new Conversation(runtime, 'picker');
    const pick = await chat.expect('/course', { intent: 'course' });
    expect(pick.buttons).toHaveLength(2);
    await chat.expect('kursum koban semineri', { intent: 'course' }, { lang: 'tr' });
    expect((await runtime.store.getUser('console:picker')).course).toBe('koban-seminar-2027');
  });

  it('tells where to be now and what is next', async () => {
    const chat = new Conversation(runtime, 'now-next');
    await chat.send('/course koban-seminar-2027');
    const now = await chat.send('where do I have to be now?', { now: new Date('2027-01-20T10:15:00+09:00') });
    expect(ids(now)).toEqual(['koban-seminar-2027/koban-visit-shinjuku']);
    const next = await chat.send('what is my next class?', { now: new Date('2027-01-20T12:30:00+09:00') });
    expect(ids(next)).toEqual(['koban-seminar-2027/lecture-patrol']);
  });
});

describe('a channel linked to a course', () => {
  const data = mkdtempSync(join(tmpdir(), 'koban-test-'));
  let linked: Runtime;
  beforeAll(async () => {
    linked = await createRuntime(
      loadConfig({
        KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
        KOBAN_DATA_DIR: data,
        KOBAN_CHANNEL_COURSES: 'slack:C-CRIM=crim-id-2027',
      }),
    );
  });
  afterAll(() => linked.close());

  it('answers for the linked course in that channel only', async () => {
    const chat = new Conversation(linked, 'U1', 'slack');
    const inChannel = await chat.send('when is the opening ceremony?', {
      channelId: 'C-CRIM',
      direct: false,
      now: NOW,
    });
    expect(ids(inChannel)).toEqual(['crim-id-2027/opening']);
    const elsewhere = await chat.send('when is the opening ceremony?', { channelId: 'C-OTHER', now: NOW });
    expect(ids(elsewhere)).toEqual(['koban-seminar-2027/opening', 'crim-id-2027/opening']);
  });

  it('refuses a malformed link at start-up', async () => {
    await expect(
      createRuntime(
        loadConfig({
          KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
          KOBAN_DATA_DIR: data,
          KOBAN_CHANNEL_COURSES: 'C-CRIM',
        }),
      ),
    ).rejects.toThrow(/KOBAN_CHANNEL_COURSES/);
  });
});

describe('the schedule development set', () => {
  const rows = readFileSync(join(import.meta.dirname, '..', 'dev-set', 'schedule.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { text: string; lang: string; now: string; course?: string; sessions: string[] },
    );

  it('has at least 15 questions per language', () => {
    for (const lang of ['en', 'ja', 'id', 'vi', 'th', 'tl', 'tr', 'fa']) {
      expect(rows.filter((r) => r.lang === lang).length, lang).toBeGreaterThanOrEqual(15);
    }
  });

  it('answers at least 90% of each language exactly', async () => {
    const score = new Map<string, { right: number; total: number }>();
    let n = 0;
    for (const row of rows) {
      const user = `dev-${n++}`;
      if (row.course) await runtime.store.updateUser(`cli:${user}`, { course: row.course });
      const reply = await runtime.assistant.handle({
        platform: 'cli',
        userId: user,
        text: row.text,
        direct: true,
        now: new Date(row.now),
        ...(isLang(row.lang) ? { lang: row.lang } : {}),
      });
      const right =
        reply.intent === 'schedule' &&
        JSON.stringify(ids(reply).sort()) === JSON.stringify([...row.sessions].sort());
      const s = score.get(row.lang) ?? { right: 0, total: 0 };
      score.set(row.lang, { right: s.right + (right ? 1 : 0), total: s.total + 1 });
    }
    for (const [lang, s] of score) expect([lang, s.right / s.total >= 0.9]).toEqual([lang, true]);
  });
});
