/**
 * Which sessions get automatic reminders and how long before: `reminders:` in a course file, else
 * in knowledge/center.yaml, else the defaults (site visits and ceremonies, 12 hours and 45 minutes
 * before). Lists may be written as YAML lists or as text ("site-visit, ceremony"; "12h, 45m").
 */
import { z } from 'zod';
import type { CenterData } from '../knowledge/center.js';
import { SESSION_KINDS, type SessionKind } from '../schedule/session-kinds.js';

/** Longest reminder offset: two weeks. */
const MAX_MINUTES = 14 * 24 * 60;

/** "12h", "45m", "1d", "1h30m", or a number of minutes. */
const offsetSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = String(v).trim().toLowerCase();
  const m = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m?)?$/.exec(text);
  const minutes = m ? Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
  if (!m || text === '' || minutes < 1 || minutes > MAX_MINUTES) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a time before the session; write it like "12h", "45m" or "1d" (at most 14 days)`,
    });
    return z.NEVER;
  }
  return minutes;
});

/** A YAML list, or one string with items separated by commas or spaces. */
const rawList = z.union([
  z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean)),
  z.array(z.union([z.string(), z.number()])),
]);

export const reminderSettingsSchema = z.strictObject({
  /** Kinds of session that get reminders; an empty list turns them off. */
  kinds: rawList
    .pipe(z.array(z.enum(SESSION_KINDS, { message: `use session kinds: ${SESSION_KINDS.join(', ')}` })))
    .optional(),
  /** How long before the start, one reminder each. */
  before: rawList.pipe(z.array(offsetSchema)).optional(),
});

export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

export interface EffectiveReminderSettings {
  kinds: ReadonlySet<SessionKind>;
  /** Minutes before the start, largest first, without duplicates. */
  offsets: number[];
}

export const DEFAULT_REMINDER_SETTINGS: EffectiveReminderSettings = {
  kinds: new Set<SessionKind>(['site-visit', 'ceremony']),
  offsets: [12 * 60, 45],
};

/** center.yaml's `reminders:` block (already validated by `kb validate` and at load), if any. */
export function centerReminderSettings(center: CenterData | undefined): ReminderSettings | undefined {
  const parsed = reminderSettingsSchema.safeParse(center?.reminders);
  return parsed.success ? parsed.data : undefined;
}

/** A course's settings: its own file first, then center.yaml, then the defaults, field by field. */
export function effectiveSettings(
  course: ReminderSettings | undefined,
  center: ReminderSettings | undefined,
): EffectiveReminderSettings {
  const kinds = course?.kinds ?? center?.kinds;
  const before = course?.before ?? center?.before;
  return {
    kinds: kinds ? new Set(kinds) : DEFAULT_REMINDER_SETTINGS.kinds,
    offsets: before ? [...new Set(before)].sort((a, b) => b - a) : DEFAULT_REMINDER_SETTINGS.offsets,
  };
}
