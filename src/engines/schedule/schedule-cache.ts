/**
 * The validated course timetables and glossary saved beside the index cache
 * (`schedules-<key>-<code>.v8`), so a start with a fresh cache neither parses their YAML nor
 * validates it again. The key is the index cache's (every knowledge file and the knowledge
 * engine's code) plus a hash of the code that reads timetables. Only a load without errors is
 * saved; a file that cannot be read or has the wrong shape is a miss (the YAML is read as before).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { codeBytes } from '../../core/package-root.js';
import type { GlossaryConcept } from '../knowledge/glossary.js';
import type { Course, Session } from './course-file.js';
import type { SessionNames } from './session-matcher.js';

/** Where and under which key (the index cache's) the timetables are saved. */
export interface ScheduleCacheLocation {
  dir: string;
  key: string;
}

/** What a cache file holds: course files with their courses, the glossary, and the session names derived from both. */
export interface SavedSchedules {
  courses: Array<[string, Course]>;
  glossary: GlossaryConcept[];
  names: SessionNames;
}

const PREFIX = 'schedules-';
/** Files kept (the newest): a compiled and a development build have different code hashes. */
const KEEP = 3;
/** Bump when the saved shape changes. */
const FORMAT = 1;
/** Running from the TypeScript sources (tsx), not dist/. */
const SOURCE = import.meta.url.endsWith('.ts');
/** The code that turns a course file into a `Course`: a change to it is a miss. */
const CODE = [
  './course-file',
  './session-kinds',
  '../reminders/settings',
  './session-matcher',
  './normalize',
  './schedule-words',
];

let codeHash: string | undefined;
function readerCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const file of CODE) {
    hash.update(codeBytes(new URL(`${file}.${SOURCE ? 'ts' : 'js'}`, import.meta.url)));
  }
  codeHash = hash.digest('hex').slice(0, 12);
  return codeHash;
}

function cacheFile(at: ScheduleCacheLocation): string {
  return join(at.dir, `${PREFIX}${at.key}-${readerCodeHash()}.v8`);
}

/** Sessions are saved with their times as epoch milliseconds (luxon objects do not serialise). */
type SavedSession = Omit<Session, 'start' | 'end'> & { start: number; end: number };
type SavedCourse = Omit<Course, 'sessions'> & { sessions: SavedSession[] };

// Shape checks only: the contents are our own, written by saveSchedules after a clean load.
const fileSchema = z.object({
  courses: z.array(
    z.tuple([
      z.string(),
      z
        .object({ id: z.string(), timezone: z.string(), sessions: z.custom<SavedSession[]>(Array.isArray) })
        .loose(),
    ]),
  ),
  glossary: z.custom<GlossaryConcept[]>(Array.isArray),
  names: z.custom<SessionNames>((v) => v instanceof Map),
});

/** The saved timetables for `at`, or undefined (none saved, unreadable, or not ours). */
export function readSchedules(at: ScheduleCacheLocation): SavedSchedules | undefined {
  let raw: unknown;
  try {
    raw = deserialize(readFileSync(cacheFile(at)));
  } catch {
    return undefined;
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const courses = (parsed.data.courses as unknown as Array<[string, SavedCourse]>).map(
    ([file, c]): [string, Course] => {
      const zone = { zone: c.timezone };
      const sessions = c.sessions.map(
        (s): Session => ({
          ...s,
          start: DateTime.fromMillis(s.start, zone),
          end: DateTime.fromMillis(s.end, zone),
        }),
      );
      return [file, { ...c, sessions }];
    },
  );
  if (courses.some(([, c]) => c.sessions.some((s) => !s.start.isValid || !s.end.isValid))) return undefined;
  return { courses, glossary: parsed.data.glossary, names: parsed.data.names };
}

/** Saves the timetables for `at` (atomically) and removes all but the newest files; false when it cannot. */
export function saveSchedules(at: ScheduleCacheLocation, saved: SavedSchedules): boolean {
  try {
    const file = cacheFile(at);
    mkdirSync(at.dir, { recursive: true });
    const courses = saved.courses.map(([name, c]): [string, SavedCourse] => [
      name,
      {
        ...c,
        sessions: c.sessions.map((s) => ({ ...s, start: s.start.toMillis(), end: s.end.toMillis() })),
      },
    ]);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize({ courses, glossary: saved.glossary, names: saved.names }));
    renameSync(tmp, file);
    const older = readdirSync(at.dir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
      .map((name) => join(at.dir, name))
      .filter((path) => path !== file)
      .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { path } of older.slice(KEEP - 1)) rmSync(path, { force: true });
    return true;
  } catch {
    return false;
  }
}
