/**
 * The Solar Hijri calendar of Iran and Afghanistan ("۱۴ بهمن ۱۴۰۵", "۶ دلو"): a day in it → the
 * Gregorian date, checked against ICU's Persian calendar (`Intl.DateTimeFormat`, calendar "persian").
 */
import { DateTime } from 'luxon';

const persianParts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The Solar Hijri year, month and day of a Gregorian calendar date. */
export function toSolarHijri(date: DateTime): { year: number; month: number; day: number } {
  const parts = persianParts.formatToParts(Date.UTC(date.year, date.month - 1, date.day, 12));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/**
 * The Gregorian date (in `zone`) of Solar Hijri `year`/`month`/`day`, or undefined when there is
 * no such day. Months 1–6 have 31 days, 7–11 have 30, Esfand 29 or 30; the year starts near 21 March.
 */
export function fromSolarHijri(year: number, month: number, day: number, zone: string): DateTime | undefined {
  if (month < 1 || month > 12 || day < 1 || day > (month <= 6 ? 31 : 30)) return undefined;
  const offset = (month <= 7 ? (month - 1) * 31 : 6 * 31 + (month - 7) * 30) + day - 1;
  const guess = DateTime.fromObject({ year: year + 621, month: 3, day: 21 }, { zone }).plus({ days: offset });
  // Nowruz falls on 20, 21 or 22 March: look a couple of days either side for the exact day.
  for (const shift of [0, -1, 1, -2, 2]) {
    const d = guess.plus({ days: shift });
    const p = toSolarHijri(d);
    if (p.year === year && p.month === month && p.day === day) return d.startOf('day');
  }
  return undefined;
}

/** Solar Hijri `month`/`day` in the year that puts it nearest `today`. */
export function nearestSolarHijri(month: number, day: number, today: DateTime): DateTime | undefined {
  const { year } = toSolarHijri(today);
  const candidates = [year - 1, year, year + 1]
    .map((y) => fromSolarHijri(y, month, day, today.zoneName ?? 'UTC'))
    .filter((d): d is DateTime => d !== undefined);
  candidates.sort((a, b) => Math.abs(a.diff(today).toMillis()) - Math.abs(b.diff(today).toMillis()));
  return candidates[0];
}
