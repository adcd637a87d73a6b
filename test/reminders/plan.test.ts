import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noticeReply } from '../../src/engines/announcements/notices.js';
import { parseCenter } from '../../src/engines/knowledge/center.js';
import { formatProblem, ProblemList } from '../../src/engines/knowledge/problems.js';
import { changeNotice, sessionChanges } from '../../src/engines/reminders/changes.js';
import { diffPlans, planReminders } from '../../src/engines/reminders/plan.js';
import { centerReminderSettings } from '../../src/engines/reminders/settings.js';
import { type Course, loadSchedules, parseCourse } from '../../src/engines/schedule/course-file.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const ROOT = join(import.meta.dirname, '..', '..');
const i18n = new I18nService();

/** A small course; `patch` changes the Koban visit. */
function course(
  visit: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  problems = new ProblemList(),
): Course | undefined {
  const raw = {
    id: 'mini',
    title: { en: 'Mini course' },
    timezone: 'Asia/Tokyo',
    start: '2027-01-18',
    end: '2027-01-22',
    sessions: [
      {
        id: 'opening',
        date: '2027-01-18',
        start: '09:30',
        end: '10:30',
        title: { en: 'Opening ceremony' },
        kind: 'ceremony',
      },
      {
        id: 'dna',
        date: '2027-01-19',
        start: '13:30',
        end: '15:00',
        title: { en: 'DNA lecture' },
        kind: 'lecture',
      },
      {
        id: 'koban-visit',
        date: '2027-01-20',
        start: '09:30',
        end: '12:00',
        title: { en: 'Koban visit', ja: '交番見学' },
        location: { en: 'Shinjuku Koban' },
        kind: 'site-visit',
        ...visit,
      },
    ],
    ...extra,
  };
  return parseCourse(raw, 'schedules/mini.yaml', problems);
}

const BEFORE_ALL = new Date('2027-01-01T00:00:00Z');

describe('reminders from the timetable', () => {
  it('plans site visits and ceremonies 12 hours and 45 minutes before, in the course zone', () => {
    const c = course();
    const plan = planReminders(c ? [c] : [], undefined, BEFORE_ALL);
    expect(plan.map((r) => [r.key, r.at.toUTC().toISO(), r.at.toFormat('yyyy-MM-dd HH:mm')])).toEqual([
      ['reminder:mini:opening:720m', '2027-01-17T12:30:00.000Z', '2027-01-17 21:30'],
      ['reminder:mini:opening:45m', '2027-01-17T23:45:00.000Z', '2027-01-18 08:45'],
      ['reminder:mini:koban-visit:720m', '2027-01-19T12:30:00.000Z', '2027-01-19 21:30'],
      ['reminder:mini:koban-visit:45m', '2027-01-19T23:45:00.000Z', '2027-01-20 08:45'],
    ]);
  });

  it('plans only what is still ahead, and the same keys every time', () => {
    const c = course();
    const now = new Date('2027-01-18T00:50:00Z'); // 09:50 in Tokyo, after the opening's 45-minute reminder
    const a = planReminders(c ? [c] : [], undefined, now).map((r) => r.key);
    const b = planReminders(c ? [c] : [], undefined, now).map((r) => r.key);
    expect(a).toEqual(['reminder:mini:koban-visit:720m', 'reminder:mini:koban-visit:45m']);
    expect(b).toEqual(a);
  });

  it('takes the course file settings over center.yaml, and center.yaml over the defaults', () => {
    const own = course({}, { reminders: { kinds: ['lecture'], before: '30m' } });
    expect(planReminders(own ? [own] : [], undefined, BEFORE_ALL).map((r) => r.key)).toEqual([
      'reminder:mini:dna:30m',
    ]);
    const problems = new ProblemList();
    const center = parseCenter(
      {
        center: { name: 'NPA', address: 'Tokyo' },
        contacts: {},
        emergency: { police: '110', fire_ambulance: '119' },
        reminders: { kinds: 'site-visit', before: '1d, 2h' },
      },
      'center.yaml',
      problems,
    );
    expect(problems.items.map(formatProblem)).toEqual([]);
    const plain = course();
    expect(
      planReminders(plain ? [plain] : [], centerReminderSettings(center), BEFORE_ALL).map((r) => r.key),
    ).toEqual(['reminder:mini:koban-visit:1440m', 'reminder:mini:koban-visit:120m']);
    const off = course({}, { reminders: { kinds: [] } });
    expect(planReminders(off ? [off] : [], undefined, BEFORE_ALL)).toEqual([]);
  });

  it('reports bad reminder settings as kb validate does, with the file and the place', () => {
    const problems = new ProblemList();
    expect(course({}, { reminders: { kinds: 'picnic', before: 'soon' } }, problems)).toBeUndefined();
    const lines = problems.items.map(formatProblem).join('\n');
    expect(lines).toContain('schedules/mini.yaml: reminders.kinds.0: use session kinds');
    expect(lines).toContain(
      'schedules/mini.yaml: reminders.before.0: "soon" is not a time before the session',
    );
    const centerProblems = new ProblemList();
    parseCenter(
      {
        center: { name: 'NPA', address: 'Tokyo' },
        contacts: {},
        emergency: { police: '110', fire_ambulance: '119' },
        reminders: { before: '30d' },
      },
      'center.yaml',
      centerProblems,
    );
    expect(centerProblems.items.map(formatProblem).join('\n')).toContain('center.yaml: reminders.before.0');
  });

  it('moves a pending reminder when the session moves, and writes the change notice', () => {
    const before = course();
    const after = course({ start: '10:00', end: '12:30', notes: { en: 'Meet at the main gate.' } });
    if (!before || !after) throw new Error('fixture');
    const now = new Date('2027-01-18T03:00:00Z');
    const diff = diffPlans(planReminders([before], undefined, now), planReminders([after], undefined, now));
    expect(diff.added).toEqual([]);
    expect(diff.cancelled).toEqual([]);
    expect(diff.moved.map((m) => [m.after.key, m.after.at.toFormat('MM-dd HH:mm')])).toEqual([
      ['reminder:mini:koban-visit:720m', '01-19 22:00'],
      ['reminder:mini:koban-visit:45m', '01-20 09:15'],
    ]);
    const changes = sessionChanges([before], [after], now);
    expect(changes.map((c) => c.before.id)).toEqual(['koban-visit']);
    const [change] = changes;
    if (!change) throw new Error('no change');
    const en = noticeReply(changeNotice(change), 'en', i18n);
    expect(en.text.replace(/\u202f/g, ' ')).toBe(
      '**Koban visit** on Wednesday, January 20 now starts at **10:00 AM** (instead of 9:30 AM).\nNote: Meet at the main gate.',
    );
    const ja = noticeReply(changeNotice(change), 'ja', i18n);
    expect(ja.text).toContain(
      '1月20日水曜日の**交番見学**は、開始時刻が9:30から**10:00**に変更になりました。',
    );
  });

  it('cancels the reminders of a removed session and tells the course', () => {
    const before = course();
    const after = course({ kind: 'lecture' });
    if (!before || !after) throw new Error('fixture');
    const removed = { ...after, sessions: after.sessions.filter((s) => s.id !== 'koban-visit') };
    const diff = diffPlans(
      planReminders([before], undefined, BEFORE_ALL),
      planReminders([removed], undefined, BEFORE_ALL),
    );
    expect(diff.cancelled.map((r) => r.key)).toEqual([
      'reminder:mini:koban-visit:720m',
      'reminder:mini:koban-visit:45m',
    ]);
    const [change] = sessionChanges([before], [removed], BEFORE_ALL);
    expect(change && noticeReply(changeNotice(change), 'en', i18n).text).toContain(
      '**Koban visit** on Wednesday, January 20 at 9:30',
    );
    // A session that only changed kind is no change for trainees, but loses its reminders.
    expect(sessionChanges([before], [after], BEFORE_ALL)).toEqual([]);
    expect(
      diffPlans(planReminders([before], undefined, BEFORE_ALL), planReminders([after], undefined, BEFORE_ALL))
        .cancelled,
    ).toHaveLength(2);
  });

  it('plans the same minute when the process runs in New York', () => {
    const script = `
      const { loadSchedules } = await import(${JSON.stringify(join(ROOT, 'src/engines/schedule/course-file.ts'))});
      const { planReminders } = await import(${JSON.stringify(join(ROOT, 'src/engines/reminders/plan.ts'))});
      const courses = [...loadSchedules(${JSON.stringify(REPO_KNOWLEDGE)}).courses.values()];
      const plan = planReminders(courses, undefined, new Date('2027-01-01T00:00:00Z'));
      const r = plan.find((p) => p.key === 'reminder:koban-seminar-2027:koban-visit-shinjuku:45m');
      console.log(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, at: r.at.toUTC().toISO(), local: r.at.toFormat('HH:mm') }));
    `;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      tz: 'America/New_York',
      at: '2027-01-19T23:15:00.000Z',
      local: '08:15',
    });
    const here = planReminders(
      [...loadSchedules(REPO_KNOWLEDGE).courses.values()],
      undefined,
      BEFORE_ALL,
    ).find((p) => p.key === 'reminder:koban-seminar-2027:koban-visit-shinjuku:45m');
    expect(here?.at.toUTC().toISO()).toBe('2027-01-19T23:15:00.000Z');
  });
});
