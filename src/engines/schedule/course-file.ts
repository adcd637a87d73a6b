/**
 * Course timetables: `knowledge/schedules/<course-id>.yaml`, one file per course, validated with zod.
 * Every problem is collected as `file: path: problem`, so `koban kb validate` can print them all.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { ProblemList } from '../knowledge/problems.js';
import { type ReminderSettings, reminderSettingsSchema } from '../reminders/settings.js';
import { SESSION_KINDS, type SessionKind } from './session-kinds.js';

export { SESSION_KINDS, type SessionKind } from './session-kinds.js';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const text = z.string().trim().min(1, 'must not be empty');

/** Text in several languages; English is required (the fallback for every language). */
const localizedSchema = z.strictObject({
  en: text,
  ja: text.optional(),
  id: text.optional(),
  vi: text.optional(),
  th: text.optional(),
  tl: text.optional(),
  tr: text.optional(),
  fa: text.optional(),
});

/** Extra names people use for a session, per language (optional). */
const aliasesSchema = z.partialRecord(z.enum(LANGUAGES), z.array(text));

// YAML 1.2 keeps 2027-01-18 a string; a file written for YAML 1.1 tools may yield a Date.
const dateSchema = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const iso = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !DateTime.fromISO(iso).isValid) {
    ctx.addIssue({
      code: 'custom',
      message: `"${iso}" is not a date; write it as YYYY-MM-DD, e.g. 2027-01-18`,
    });
    return z.NEVER;
  }
  return iso;
});
const timeSchema = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:30" (24-hour, in quotes)');

const sessionSchema = z.strictObject({
  id: z.string().regex(ID, 'must be a lowercase id like "opening" (letters, digits, dashes)'),
  date: dateSchema,
  start: timeSchema,
  end: timeSchema,
  title: localizedSchema,
  location: localizedSchema.optional(),
  kind: z.enum(SESSION_KINDS),
  notes: localizedSchema.optional(),
  aliases: aliasesSchema.optional(),
});

const courseSchema = z.strictObject({
  id: z.string().regex(ID, 'must be a lowercase id like "koban-seminar-2027"'),
  title: localizedSchema,
  timezone: z.string().trim(),
  start: dateSchema,
  end: dateSchema,
  location: localizedSchema.optional(),
  aliases: aliasesSchema.optional(),
  sessions: z.array(sessionSchema).default([]),
  /** Which sessions get automatic reminders, and how long before; overrides center.yaml. */
  reminders: reminderSettingsSchema.optional(),
});

export type LocalizedText = z.infer<typeof localizedSchema>;

/** One session, with its start and end resolved in the course's time zone. */
export interface Session {
  id: string;
  courseId: string;
  date: string;
  startTime: string;
  endTime: string;
  start: DateTime;
  end: DateTime;
  title: LocalizedText;
  location?: LocalizedText;
  kind: SessionKind;
  notes?: LocalizedText;
  aliases: Partial<Record<Lang, string[]>>;
}

export interface Course {
  id: string;
  title: LocalizedText;
  timezone: string;
  /** First and last day, YYYY-MM-DD. */
  start: string;
  end: string;
  location?: LocalizedText;
  aliases: Partial<Record<Lang, string[]>>;
  /** Chronological. */
  sessions: Session[];
  /** Reminder settings of this course file (center.yaml's `reminders:` or the defaults otherwise). */
  reminders?: ReminderSettings;
  /** The file it came from, relative to the knowledge folder. */
  file: string;
}

/** The text in `lang`, or English. */
export function localized(t: LocalizedText, lang: Lang): string {
  return t[lang] ?? t.en;
}

function issuePath(path: ReadonlyArray<PropertyKey>, raw: unknown): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (p === 'sessions' && typeof path[i + 1] === 'number') {
      const index = path[i + 1] as number;
      const id = (raw as { sessions?: Array<{ id?: unknown }> })?.sessions?.[index]?.id;
      parts.push(`sessions[${index + 1}]${typeof id === 'string' ? ` (${id})` : ''}`);
      i++;
    } else parts.push(String(p));
  }
  return parts.join('.');
}

/** Validates one parsed course file; returns the course when it has no errors. */
export function parseCourse(raw: unknown, file: string, problems: ProblemList): Course | undefined {
  const parsed = courseSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issuePath(issue.path, raw);
      problems.error(file, path ? `${path}: ${issue.message}` : issue.message);
    }
    return undefined;
  }
  const c = parsed.data;
  const before = problems.errors.length;
  const expectedId = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (c.id !== expectedId) problems.error(file, `id: "${c.id}" must equal the file name ("${expectedId}")`);
  if (!IANAZone.isValidZone(c.timezone)) {
    problems.error(file, `timezone: unknown time zone "${c.timezone}"; use an IANA name such as Asia/Tokyo`);
  }
  if (c.end < c.start) problems.error(file, `end: the course ends (${c.end}) before it starts (${c.start})`);
  const seen = new Set<string>();
  const sessions: Session[] = [];
  c.sessions.forEach((s, i) => {
    const where = `sessions[${i + 1}] (${s.id})`;
    if (seen.has(s.id))
      problems.error(file, `${where}.id: duplicate session id "${s.id}"; ids must be unique`);
    seen.add(s.id);
    if (s.date < c.start || s.date > c.end) {
      problems.error(file, `${where}.date: ${s.date} is outside the course dates (${c.start} to ${c.end})`);
    }
    if (s.end <= s.start)
      problems.error(file, `${where}.end: ends at ${s.end}, not after its start ${s.start}`);
    const zone = IANAZone.isValidZone(c.timezone) ? c.timezone : 'UTC';
    const at = (time: string): DateTime => DateTime.fromISO(`${s.date}T${time}`, { zone });
    sessions.push({
      id: s.id,
      courseId: c.id,
      date: s.date,
      startTime: s.start,
      endTime: s.end,
      start: at(s.start),
      end: at(s.end),
      title: s.title,
      kind: s.kind,
      aliases: s.aliases ?? {},
      ...(s.location ? { location: s.location } : {}),
      ...(s.notes ? { notes: s.notes } : {}),
    });
  });
  sessions.sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.end.toMillis() - b.end.toMillis());
  for (let i = 0; i < sessions.length; i++) {
    const a = sessions[i];
    if (!a) continue;
    for (let j = i + 1; j < sessions.length; j++) {
      const b = sessions[j];
      if (!b || b.start >= a.end) break;
      problems.warn(
        file,
        `sessions ${a.id} (${a.date} ${a.startTime}-${a.endTime}) and ${b.id} (${b.startTime}-${b.endTime}) overlap`,
      );
    }
  }
  if (problems.errors.length > before) return undefined;
  return {
    id: c.id,
    title: c.title,
    timezone: c.timezone,
    start: c.start,
    end: c.end,
    aliases: c.aliases ?? {},
    sessions,
    file,
    ...(c.location ? { location: c.location } : {}),
    ...(c.reminders ? { reminders: c.reminders } : {}),
  };
}

export interface ScheduleLoad {
  /** Valid courses by file name (relative to the knowledge folder). */
  courses: Map<string, Course>;
  /** Files that had errors. */
  broken: Set<string>;
  problems: ProblemList;
}

/** Loads and validates every `schedules/*.yaml` under the knowledge folder `dir`. */
export function loadSchedules(dir: string): ScheduleLoad {
  const problems = new ProblemList();
  const courses = new Map<string, Course>();
  const broken = new Set<string>();
  const folder = join(dir, 'schedules');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return { courses, broken, problems };
  const ids = new Map<string, string>();
  for (const name of readdirSync(folder).sort()) {
    const file = `schedules/${name}`;
    if (!/\.ya?ml$/.test(name)) {
      if (!name.startsWith('.')) problems.warn(file, 'ignored; course files end in .yaml');
      continue;
    }
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(join(folder, name), 'utf8'));
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      problems.error(file, `not valid YAML (${reason}); check indentation and quote times like "09:30"`);
      broken.add(file);
      continue;
    }
    const before = problems.errors.length;
    const course = parseCourse(raw, file, problems);
    if (course) {
      const other = ids.get(course.id);
      if (other) {
        problems.error(file, `id: course id "${course.id}" is already used by ${other}`);
      } else {
        ids.set(course.id, file);
        courses.set(file, course);
      }
    }
    if (problems.errors.length > before) broken.add(file);
  }
  return { courses, broken, problems };
}
