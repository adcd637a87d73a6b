/**
 * The `visits:` block of knowledge/center.yaml: how many visitors, how far ahead, which days the
 * center is closed and how many visits a day it takes. Validated with the rest of center.yaml.
 */
import { z } from 'zod';
import { isDay, WEEKDAYS, type Weekday } from './dates.js';

const weekdayList = z
  .string()
  .transform((s) =>
    s
      .split(/[\s,]+/)
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(WEEKDAYS, { message: 'use sun, mon, tue, wed, thu, fri or sat' })));

export const visitRulesSchema = z.object({
  max_group_size: z.number().int().min(1).max(500),
  min_lead_days: z.number().int().min(0).max(365),
  visits_per_day: z.number().int().min(1).max(50),
  /** Weekdays the center takes no visits, e.g. "sat, sun". */
  closed_weekdays: weekdayList.default([]),
  /** Days the center is closed: "YYYY-MM-DD": reason. */
  closed_dates: z
    .record(
      z.string().refine(isDay, { message: 'a closed date is written YYYY-MM-DD' }),
      z.union([z.string(), z.record(z.string(), z.string())]),
    )
    .default({}),
  time_zone: z
    .string()
    .refine(
      (zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'an IANA time zone such as Asia/Tokyo' },
    )
    .default('Asia/Tokyo'),
});

export interface VisitRules {
  maxGroupSize: number;
  minLeadDays: number;
  visitsPerDay: number;
  closedWeekdays: ReadonlySet<Weekday>;
  closedDates: ReadonlySet<string>;
  timeZone: string;
  /** Preferred dates a request may give. */
  maxPreferredDates: number;
}

/** Rules when center.yaml has no `visits:` block (the first release's values). */
export const DEFAULT_VISIT_RULES: VisitRules = {
  maxGroupSize: 20,
  minLeadDays: 30,
  visitsPerDay: 1,
  closedWeekdays: new Set<Weekday>(['sat', 'sun']),
  closedDates: new Set(),
  timeZone: 'Asia/Tokyo',
  maxPreferredDates: 3,
};

/** Rules already read, by center data object: a visit turn asks for them several times. */
const readRules = new WeakMap<Record<string, unknown>, VisitRules>();

/**
 * The rules from center data (`center.visits`), or the defaults when the block is absent or invalid.
 * Read once per center data object (a reload brings a new one); the object must not be mutated.
 */
export function visitRules(center: Record<string, unknown>): VisitRules {
  let rules = readRules.get(center);
  if (!rules) {
    rules = parseVisitRules(center);
    readRules.set(center, rules);
  }
  return rules;
}

function parseVisitRules(center: Record<string, unknown>): VisitRules {
  const parsed = visitRulesSchema.safeParse(center.visits);
  if (!parsed.success) return DEFAULT_VISIT_RULES;
  const v = parsed.data;
  return {
    maxGroupSize: v.max_group_size,
    minLeadDays: v.min_lead_days,
    visitsPerDay: v.visits_per_day,
    closedWeekdays: new Set(v.closed_weekdays),
    closedDates: new Set(Object.keys(v.closed_dates)),
    timeZone: v.time_zone,
    maxPreferredDates: 3,
  };
}
