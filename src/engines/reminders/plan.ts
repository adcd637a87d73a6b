/**
 * Reminders from the timetable, planned as pure data: for every session of a reminded kind, one
 * reminder per offset, keyed by (course, session, offset) so planning again gives the same keys and
 * a moved session moves its reminders instead of adding new ones. The clock comes in as `now`.
 */
import type { DateTime } from 'luxon';
import type { Course, Session } from '../schedule/course-file.js';
import { effectiveSettings, type ReminderSettings } from './settings.js';

export interface PlannedReminder {
  /** `reminder:<course>:<session>:<minutes>m`, stable across re-planning. */
  key: string;
  course: Course;
  session: Session;
  /** Minutes before the session's start. */
  offsetMinutes: number;
  /** When it is due (the session's start minus the offset, in the course's zone). */
  at: DateTime;
}

export function reminderKey(courseId: string, sessionId: string, offsetMinutes: number): string {
  return `reminder:${courseId}:${sessionId}:${offsetMinutes}m`;
}

/**
 * The reminders still to come after `now` for `courses`, by time. A reminder whose time has passed
 * is not planned (a late "in 12 hours" would be wrong), even when the session is still ahead.
 */
export function planReminders(
  courses: readonly Course[],
  center: ReminderSettings | undefined,
  now: Date,
): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  for (const course of courses) {
    const settings = effectiveSettings(course.reminders, center);
    for (const session of course.sessions) {
      if (!settings.kinds.has(session.kind)) continue;
      for (const offsetMinutes of settings.offsets) {
        const at = session.start.minus({ minutes: offsetMinutes });
        if (at.toMillis() <= now.getTime()) continue;
        out.push({
          key: reminderKey(course.id, session.id, offsetMinutes),
          course,
          session,
          offsetMinutes,
          at,
        });
      }
    }
  }
  return out.sort((a, b) => a.at.toMillis() - b.at.toMillis() || a.key.localeCompare(b.key));
}

export interface PlanDiff {
  /** Same key, another time. */
  moved: Array<{ before: PlannedReminder; after: PlannedReminder }>;
  /** In the old plan only: their session went, changed kind or its time passed. */
  cancelled: PlannedReminder[];
  added: PlannedReminder[];
}

/** What changes between two plans, by key. */
export function diffPlans(before: readonly PlannedReminder[], after: readonly PlannedReminder[]): PlanDiff {
  const old = new Map(before.map((r) => [r.key, r]));
  const next = new Map(after.map((r) => [r.key, r]));
  const diff: PlanDiff = { moved: [], cancelled: [], added: [] };
  for (const r of after) {
    const was = old.get(r.key);
    if (!was) diff.added.push(r);
    else if (was.at.toMillis() !== r.at.toMillis()) diff.moved.push({ before: was, after: r });
  }
  for (const r of before) if (!next.has(r.key)) diff.cancelled.push(r);
  return diff;
}
