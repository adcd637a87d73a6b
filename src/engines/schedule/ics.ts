/** iCalendar files for sessions (ical-generator; times in UTC, which every calendar imports). */
import ical from 'ical-generator';
import type { Lang } from '../../core/languages.js';
import { localized, type Session } from './course-file.js';

/** An .ics file holding `sessions`, titles and places in `lang`. */
export function sessionsToIcs(sessions: readonly Session[], lang: Lang, name: string, stamp: Date): string {
  const calendar = ical({
    name,
    prodId: { company: 'koban-assistant', product: 'schedule', language: lang.toUpperCase() },
  });
  for (const s of sessions) {
    calendar.createEvent({
      id: `${s.courseId}.${s.id}@koban-assistant`,
      start: s.start.toJSDate(),
      end: s.end.toJSDate(),
      stamp,
      summary: localized(s.title, lang),
      ...(s.location ? { location: localized(s.location, lang) } : {}),
      ...(s.notes ? { description: localized(s.notes, lang) } : {}),
    });
  }
  return calendar.toString();
}
