/**
 * What changed for trainees between two versions of the timetables: sessions still to come that
 * moved (day, start or place) or disappeared. Each becomes a change notice written by the notice
 * templates ("the Koban visit on Wednesday now starts at 10:00").
 */

import { fromLocalized, type Notice } from '../announcements/notices.js';
import type { Course, Session } from '../schedule/course-file.js';

export interface SessionChange {
  course: Course;
  before: Session;
  /** The new version; absent when the session was removed. */
  after?: Session;
}

const sameText = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Changes to sessions that had not started at `now` (by their old time). A course that disappeared
 * altogether (its file deleted) gives no notices: that is withdrawing a timetable, not a change.
 */
export function sessionChanges(
  before: readonly Course[],
  after: readonly Course[],
  now: Date,
): SessionChange[] {
  const out: SessionChange[] = [];
  for (const old of before) {
    const course = after.find((c) => c.id === old.id);
    if (!course) continue;
    const byId = new Map(course.sessions.map((s) => [s.id, s]));
    for (const s of old.sessions) {
      if (s.start.toMillis() <= now.getTime()) continue;
      const next = byId.get(s.id);
      if (!next) out.push({ course, before: s });
      else if (next.start.toMillis() !== s.start.toMillis() || !sameText(next.location, s.location))
        out.push({ course, before: s, after: next });
    }
  }
  return out;
}

/** A change as a structured notice (session moved or cancelled), in the course's zone. */
export function changeNotice(change: SessionChange): Notice {
  const { course, before, after } = change;
  if (!after)
    return {
      kind: 'session-cancelled',
      fields: { course: course.id, session: before.id },
      session: before,
      zone: course.timezone,
    };
  const moved = after.start.toMillis() !== before.start.toMillis();
  const placeChanged = !sameText(after.location, before.location);
  return {
    kind: 'session-moved',
    fields: {
      course: course.id,
      session: before.id,
      ...(moved ? { date: after.date, start: after.startTime } : {}),
      ...(placeChanged && after.location ? { place: fromLocalized(after.location) } : {}),
      ...(after.notes ? { note: fromLocalized(after.notes) } : {}),
    },
    session: before,
    zone: course.timezone,
  };
}

/** A key that names this change, so reporting the same change twice posts it once. */
export function changeKey(change: SessionChange): string {
  const { course, before, after } = change;
  const what = after ? `${after.start.toISO()}:${JSON.stringify(after.location ?? null)}` : 'cancelled';
  return `change:${course.id}:${before.id}:${what}`;
}
