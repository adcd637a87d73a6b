import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Course } from '../../src/engines/schedule/course-file.js';
import { ScheduleService } from '../../src/engines/schedule/schedule-service.js';
import { silentLogger } from '../../src/logger.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'schedules');
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'koban-sched-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Courses as plain data, session times as ISO text with their zone. */
function plain(courses: readonly Course[]): unknown {
  return courses.map((c) => ({
    ...c,
    sessions: c.sessions.map((s) => ({
      ...s,
      start: s.start.toISO(),
      end: s.end.toISO(),
      zone: s.start.zoneName,
    })),
  }));
}

describe('the saved timetables', () => {
  it('restores the shipped courses as read from their files, and matches sessions the same way', () => {
    const cache = { dir: tempDir(), key: 'k1' };
    const read = new ScheduleService(REPO_KNOWLEDGE, silentLogger(), cache);
    expect(readdirSync(cache.dir).some((f) => f.startsWith('schedules-k1-'))).toBe(true);
    const restored = new ScheduleService(REPO_KNOWLEDGE, silentLogger(), cache);
    expect(restored.courses.length).toBeGreaterThan(0);
    expect(plain(restored.courses)).toEqual(plain(read.courses));
    expect(restored.index.names()).toEqual(read.index.names());
    const session = read.courses[0]?.sessions[0];
    expect(session).toBeDefined();
    const title = session?.title.en ?? '';
    const ids = (service: ScheduleService): string[] =>
      service.index.match(`when is ${title}?`, 'en').sessions.map((s) => s.id);
    expect(ids(read).length).toBeGreaterThan(0);
    expect(ids(restored)).toEqual(ids(read));
  });

  it('reads the files again under another key, and after a file the cache cannot read', () => {
    const knowledge = tempDir();
    cpSync(join(FIXTURES, 'valid'), knowledge, { recursive: true });
    const cacheDir = tempDir();
    expect(
      new ScheduleService(knowledge, silentLogger(), { dir: cacheDir, key: 'a' }).course('mini-course')
        ?.sessions,
    ).toHaveLength(2);
    writeFileSync(
      join(knowledge, 'schedules', 'mini-course.yaml'),
      'id: mini-course\ntitle: { en: "Mini" }\ntimezone: Asia/Tokyo\nstart: 2027-01-18\nend: 2027-01-22\n',
    );
    // Same key: the saved version (the key covers the knowledge files, so this never happens in use).
    expect(
      new ScheduleService(knowledge, silentLogger(), { dir: cacheDir, key: 'a' }).course('mini-course')
        ?.sessions,
    ).toHaveLength(2);
    expect(
      new ScheduleService(knowledge, silentLogger(), { dir: cacheDir, key: 'b' }).course('mini-course')
        ?.sessions,
    ).toHaveLength(0);
    for (const file of readdirSync(cacheDir)) writeFileSync(join(cacheDir, file), 'not a cache');
    expect(
      new ScheduleService(knowledge, silentLogger(), { dir: cacheDir, key: 'b' }).course('mini-course')
        ?.sessions,
    ).toHaveLength(0);
  });

  it('saves nothing when a course file has errors', () => {
    const knowledge = tempDir();
    cpSync(join(FIXTURES, 'broken'), knowledge, { recursive: true });
    const cacheDir = tempDir();
    new ScheduleService(knowledge, silentLogger(), { dir: cacheDir, key: 'x' });
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('schedules-'))).toEqual([]);
  });
});
