/** Which days can take a visit: open, far enough ahead, and not yet at `visits_per_day`. */
import { addDays, dayIn, weekday } from './dates.js';
import type { VisitRules } from './rules.js';

/** Visits already booked per day (approved requests). */
export type Bookings = ReadonlyMap<string, number>;

export type DayProblem = 'tooSoon' | 'closed' | 'full';

/** The first day a request made at `now` may ask for. */
export function earliestDay(rules: VisitRules, now: Date): string {
  return addDays(dayIn(now, rules.timeZone), rules.minLeadDays);
}

export function dayProblem(
  day: string,
  rules: VisitRules,
  bookings: Bookings,
  now: Date,
): DayProblem | undefined {
  if (day < earliestDay(rules, now)) return 'tooSoon';
  if (rules.closedDates.has(day) || rules.closedWeekdays.has(weekday(day))) return 'closed';
  if ((bookings.get(day) ?? 0) >= rules.visitsPerDay) return 'full';
  return undefined;
}

/** Up to `count` bookable days from `from` (or the earliest allowed day, whichever is later). */
export function nextFreeDays(
  from: string,
  rules: VisitRules,
  bookings: Bookings,
  now: Date,
  count = 3,
): string[] {
  const earliest = earliestDay(rules, now);
  let day = from > earliest ? from : earliest;
  const out: string[] = [];
  for (let i = 0; i < 400 && out.length < count; i++, day = addDays(day, 1)) {
    if (!dayProblem(day, rules, bookings, now)) out.push(day);
  }
  return out;
}
