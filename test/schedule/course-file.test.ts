import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/engines/knowledge/problems.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { ScheduleService } from '../../src/engines/schedule/schedule-service.js';
import { silentLogger } from '../../src/logger.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'schedules');

describe('course schedule files', () => {
  it('loads the two sample courses without problems', () => {
    const { courses, problems } = loadSchedules(REPO_KNOWLEDGE);
    expect(problems.items.map(formatProblem)).toEqual([]);
    const ids = [...courses.values()].map((c) => c.id).sort();
    expect(ids).toEqual(['crim-id-2027', 'koban-seminar-2027']);
    const koban = [...courses.values()].find((c) => c.id === 'koban-seminar-2027');
    expect(koban?.sessions[0]?.start.toISO()).toBe('2027-01-18T09:30:00.000+09:00');
  });

  it('reads a file in exactly the documented shape, and warns about overlapping sessions', () => {
    const { courses, problems } = loadSchedules(join(FIXTURES, 'valid'));
    expect(courses.get('schedules/mini-course.yaml')?.sessions.map((s) => s.id)).toEqual([
      'opening',
      'lecture',
    ]);
    expect(problems.errors).toEqual([]);
    expect(problems.items.map(formatProblem)).toEqual([
      'schedules/mini-course.yaml: warning: sessions opening (2027-01-18 09:30-10:30) and lecture (10:00-11:00) overlap',
    ]);
  });

  it('names the file, the place and the problem for every mistake', () => {
    const { courses, problems } = loadSchedules(join(FIXTURES, 'broken'));
    expect(courses.size).toBe(0);
    const lines = problems.items.map(formatProblem);
    const expected = [
      'schedules/bad-zone.yaml: timezone: unknown time zone "Asia/Tokio"',
      'schedules/bad-zone.yaml: end: the course ends (2027-01-10) before it starts (2027-01-18)',
      'schedules/bad-zone.yaml: sessions[1] (a).date: 2027-02-01 is outside the course dates',
      'schedules/bad-zone.yaml: sessions[2] (a).id: duplicate session id "a"',
      'schedules/bad-zone.yaml: sessions[2] (a).end: ends at 13:00, not after its start 14:00',
      'schedules/bad-time.yaml: sessions[1] (early).start: must be a time like "09:30"',
      'schedules/bad-time.yaml: sessions[1] (early).end: must be a time like "09:30"',
      'schedules/bad-dates.yaml: start: "2027-02-30" is not a date',
      'schedules/bad-dates.yaml: sessions[1] (late).title.en:',
      'schedules/bad-dates.yaml: sessions[1] (late).kind:',
      'schedules/wrong-name.yaml: id: "another-name" must equal the file name ("wrong-name")',
    ];
    for (const start of expected)
      expect(
        lines.some((l) => l.startsWith(start)),
        start,
      ).toBe(true);
  });

  it('keeps serving the last good version of a file that turns invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-sched-'));
    try {
      cpSync(join(FIXTURES, 'valid'), dir, { recursive: true });
      const service = new ScheduleService(dir, silentLogger());
      expect(service.course('mini-course')?.sessions).toHaveLength(2);
      const file = join(dir, 'schedules', 'mini-course.yaml');
      writeFileSync(
        file,
        'id: mini-course\ntitle: { en: "Mini" }\ntimezone: Mars/Olympus\nstart: 2027-01-18\nend: 2027-01-22\n',
      );
      const problems = service.reload();
      expect(problems.some((p) => p.message.includes('unknown time zone'))).toBe(true);
      expect(service.course('mini-course')?.sessions).toHaveLength(2);
      writeFileSync(
        file,
        'id: mini-course\ntitle: { en: "Mini" }\ntimezone: Asia/Tokyo\nstart: 2027-01-18\nend: 2027-01-22\n',
      );
      service.reload();
      expect(service.course('mini-course')?.sessions).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
