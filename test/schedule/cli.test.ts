import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const data = mkdtempSync(join(tmpdir(), 'koban-cli-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

function koban(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Pacific/Honolulu', KOBAN_DATA_DIR: data, KOBAN_CHANNEL_COURSES: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('koban CLI, schedules', () => {
  it('answers a schedule question as JSON with sessions in Tokyo time', () => {
    const r = koban('ask', '--json', '--now', '2027-01-20T08:00:00+09:00', 'what do we have tomorrow?');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { intent: string; sessions: Array<Record<string, string>> };
    expect(json.intent).toBe('schedule');
    expect(json.sessions.map((s) => s.sessionId)).toEqual([
      'lecture-crime-prevention',
      'exercise-crime-mapping',
    ]);
    expect(json.sessions[0]).toMatchObject({
      courseId: 'koban-seminar-2027',
      start: '2027-01-21T09:30:00+09:00',
      end: '2027-01-21T12:00:00+09:00',
    });
  });

  it('answers in Persian for a Persian date', () => {
    const r = koban('ask', '--json', '--now', '2027-01-20T08:00:00+09:00', 'برنامه ۲۶ ژانویه');
    const json = JSON.parse(r.stdout) as { intent: string; lang: string; text: string; sessions: unknown[] };
    expect(json).toMatchObject({ intent: 'schedule', lang: 'fa' });
    expect(json.text).toContain('۹:۰۰');
    expect(json.sessions.length).toBeGreaterThan(0);
  });

  it('prints a course timetable', () => {
    const r = koban('schedule', 'list', '--course', 'koban-seminar-2027');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'koban-seminar-2027: Seminar on the Koban System 2027 (2027-01-18 to 2027-02-05',
    );
    expect(r.stdout).toMatch(/09:30-10:30 {2}opening +Opening ceremony {2}@ Auditorium, Building A/);
  });

  it('writes an iCalendar file with every session', () => {
    const out = join(data, 'crim.ics');
    const r = koban('schedule', 'ics', '--course', 'crim-id-2027', '--out', out);
    expect(r.code).toBe(0);
    const ics = readFileSync(out, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(25);
    expect(ics).toContain('UID:crim-id-2027.opening@koban-assistant');
  });

  it('rejects an unknown course', () => {
    const r = koban('schedule', 'ics', '--course', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no course "nope"');
  });

  it('reports schedule problems from kb validate and fails', () => {
    const r = koban('kb', 'validate', '--knowledge', 'test/fixtures/schedules/broken');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('schedules/bad-zone.yaml: timezone: unknown time zone "Asia/Tokio"');
  });
});
