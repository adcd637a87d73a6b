import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReminderScheduler } from '../../src/engines/reminders/scheduler.js';
import { MemoryReminderSink } from '../../src/engines/reminders/sink.js';
import { ScheduleService } from '../../src/engines/schedule/schedule-service.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';

const i18n = new I18nService();

function courseYaml(visit: { start?: string; end?: string; notes?: string; drop?: boolean } = {}): string {
  const lines = [
    'id: mini',
    'title: { en: "Mini course" }',
    'timezone: Asia/Tokyo',
    'start: 2027-01-18',
    'end: 2027-01-22',
    'sessions:',
    '  - id: dna',
    '    date: 2027-01-19',
    '    start: "13:30"',
    '    end: "15:00"',
    '    title: { en: "DNA lecture" }',
    '    kind: lecture',
  ];
  if (!visit.drop) {
    lines.push(
      '  - id: koban-visit',
      '    date: 2027-01-20',
      `    start: "${visit.start ?? '09:30'}"`,
      `    end: "${visit.end ?? '12:00'}"`,
      '    title: { en: "Koban visit", ja: "交番見学" }',
      '    location: { en: "Shinjuku Koban" }',
      '    kind: site-visit',
    );
    if (visit.notes) lines.push(`    notes: { en: "${visit.notes}" }`);
  }
  return `${lines.join('\n')}\n`;
}

const at = (iso: string): Date => new Date(iso);
const text = (s: string | undefined): string => (s ?? '').replace(/\u202f/g, ' ');

describe('the reminder scheduler', () => {
  let dir: string;
  let store: KyselyStore;
  let schedules: ScheduleService;
  let sink: MemoryReminderSink;
  let scheduler: ReminderScheduler;
  let now: Date;
  const previousTz = process.env.TZ;

  beforeAll(() => {
    // The process runs in New York; the course is in Tokyo.
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    process.env.TZ = previousTz;
  });

  const write = (yaml: string): void => writeFileSync(join(dir, 'schedules', 'mini.yaml'), yaml);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'koban-reminders-'));
    mkdirSync(join(dir, 'schedules'));
    write(courseYaml());
    store = await KyselyStore.open({ path: join(dir, 'koban.db'), clock: () => now });
    schedules = new ScheduleService(dir, silentLogger());
    sink = new MemoryReminderSink();
    now = at('2027-01-18T00:00:00Z'); // Monday 09:00 in Tokyo
    scheduler = new ReminderScheduler({
      sink,
      clock: () => now,
      schedules,
      i18n,
      channelCourses: new Map([
        ['slack:C0123', 'mini'],
        ['discord:998877', 'mini'],
        ['slack:COTHER', 'other-course'],
      ]),
      centerSettings: () => undefined,
      personal: store.reminders,
      logger: silentLogger(),
    });
    await scheduler.start();
  });
  afterEach(async () => {
    scheduler.stop();
    await store.close();
  });

  it('sends the 45-minute reminder at 08:45 Tokyo time, not a minute before, to the course channels', () => {
    expect(new Date(2027, 0, 1).getTimezoneOffset()).toBe(300); // really in New York
    expect(sink.pending().map((i) => [i.key, i.at.toISOString()])).toEqual([
      ['reminder:mini:koban-visit:720m', '2027-01-19T12:30:00.000Z'],
      ['reminder:mini:koban-visit:45m', '2027-01-19T23:45:00.000Z'],
    ]);
    sink.take(at('2027-01-19T12:30:00Z'));
    expect(sink.take(at('2027-01-19T23:44:59Z'))).toEqual([]);
    const [due] = sink.take(at('2027-01-19T23:45:00Z'));
    expect(due?.targets).toEqual([{ channel: 'slack:C0123' }, { channel: 'discord:998877' }]);
    expect(text(due?.replies.en?.text)).toBe(
      '**Koban visit** starts in 45 minutes: Wednesday, January 20, 9:30 AM.\nLocation: Shinjuku Koban',
    );
    expect(due?.replies.ja?.text).toContain('**交番見学**は45 分後に始まります（1月20日水曜日 9:30）');
    expect(Object.keys(due?.replies ?? {}).sort()).toEqual(['en', 'fa', 'id', 'ja', 'th', 'tl', 'tr', 'vi']);
  });

  it('moves a pending reminder when the schedule file changes, and posts the change notice', async () => {
    write(courseYaml({ start: '10:00', end: '12:30', notes: 'Meet at the main gate.' }));
    schedules.reload();
    await scheduler.idle();
    expect(sink.get('reminder:mini:koban-visit:45m')?.at.toISOString()).toBe('2027-01-20T00:15:00.000Z');
    const [notice] = sink.take(now);
    expect(notice?.origin).toBe('change');
    expect(notice?.targets).toEqual([{ channel: 'slack:C0123' }, { channel: 'discord:998877' }]);
    expect(text(notice?.replies.en?.text)).toBe(
      '**Koban visit** on Wednesday, January 20 now starts at **10:00 AM** (instead of 9:30 AM).\nNote: Meet at the main gate.',
    );
    expect(notice?.replies.ja?.text).toContain(
      '**交番見学**は、開始時刻が9:30から**10:00**に変更になりました',
    );
    // Reloading the same files again changes nothing and announces nothing.
    schedules.reload();
    await scheduler.idle();
    expect(sink.take(now)).toEqual([]);
  });

  it('cancels the reminders of a removed session and says it is cancelled', async () => {
    write(courseYaml({ drop: true }));
    schedules.reload();
    await scheduler.idle();
    expect(sink.pending().map((i) => i.key)).toEqual([
      expect.stringMatching(/^change:mini:koban-visit:cancelled$/),
    ]);
    expect(text(sink.pending()[0]?.replies.en?.text)).toBe(
      '**Koban visit** on Wednesday, January 20 at 9:30 AM is cancelled.',
    );
  });

  it('schedules a personal reminder by direct message and moves it with its session', async () => {
    const r = await store.reminders.add({
      userKey: 'slack:U42',
      courseId: 'mini',
      sessionId: 'koban-visit',
      offsetMinutes: 30,
      lang: 'vi',
    });
    await scheduler.addPersonal(r);
    const item = sink.get(`personal:${r.id}`);
    expect(item?.at.toISOString()).toBe('2027-01-20T00:00:00.000Z');
    expect(item?.targets).toEqual([{ user: 'slack:U42', lang: 'vi' }]);
    expect(item?.replies.vi?.text).toContain('bắt đầu sau 30 phút');
    write(courseYaml({ start: '11:00', end: '12:30' }));
    schedules.reload();
    await scheduler.idle();
    expect(sink.get(`personal:${r.id}`)?.at.toISOString()).toBe('2027-01-20T01:30:00.000Z');
    const change = sink.pending().find((i) => i.origin === 'change');
    expect(change?.targets).toContainEqual({ user: 'slack:U42', lang: 'vi' });
  });

  it('after a restart, cancels what the sink still holds for sessions that are gone', async () => {
    scheduler.stop();
    await sink.schedule([
      {
        key: 'reminder:mini:gone:45m',
        at: at('2027-01-21T00:00:00Z'),
        targets: [],
        replies: {},
        origin: 'timetable',
      },
    ]);
    const again = new ReminderScheduler({
      sink,
      clock: () => now,
      schedules,
      i18n,
      channelCourses: new Map([['slack:C0123', 'mini']]),
      centerSettings: () => undefined,
      personal: store.reminders,
      logger: silentLogger(),
    });
    await again.start();
    expect(sink.get('reminder:mini:gone:45m')).toBeUndefined();
    expect(sink.pending().map((i) => i.key)).toEqual([
      'reminder:mini:koban-visit:720m',
      'reminder:mini:koban-visit:45m',
    ]);
    again.stop();
  });
});
