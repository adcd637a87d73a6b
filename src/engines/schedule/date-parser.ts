/**
 * Finds the day or range a schedule question is about ("tomorrow", "next Friday", "20 Ocak",
 * "۲۰ ژانویه", "this week"), computed in the course's time zone from `now`, never the server's.
 */
import { DateTime } from 'luxon';
import type { Lang } from '../../core/languages.js';
import { cachedRegExp, escapeRegExp, fold, foldLetters, take, UNSPACED } from './normalize.js';
import { onScheduleWordsChange, SCHEDULE_WORDS } from './schedule-words.js';
import { fromSolarHijri, nearestSolarHijri } from './solar-hijri.js';

export type DateExpr =
  | { kind: 'day'; date: DateTime }
  | { kind: 'range'; which: 'thisWeek' | 'nextWeek'; from: DateTime; to: DateTime }
  | { kind: 'rest' }
  | { kind: 'course' };

/** A part of the day: morning, afternoon or evening sessions of the day asked about. */
export type PartOfDay = 'morning' | 'afternoon' | 'evening';
const PARTS: PartOfDay[] = ['morning', 'afternoon', 'evening'];

export interface DateParse {
  expr: DateExpr | undefined;
  /** More than one day named ("tired today, what's on tomorrow?"): the message needs splitting. */
  severalDays?: boolean;
  /** "tomorrow morning", "chiều nay": which part of the day. */
  partOfDay?: PartOfDay;
  /** The folded text with every date expression removed (for the other parsers). */
  rest: string;
}

type Category =
  | 'today'
  | 'tomorrow'
  | 'dayAfterTomorrow'
  | 'yesterday'
  | 'thisWeek'
  | 'nextWeek'
  | 'rest'
  | 'wholeCourse';
const CATEGORIES: Category[] = [
  'today',
  'tomorrow',
  'dayAfterTomorrow',
  'yesterday',
  'thisWeek',
  'nextWeek',
  'rest',
  'wholeCourse',
];
const OFFSETS: Partial<Record<Category, number>> = {
  yesterday: -1,
  today: 0,
  tomorrow: 1,
  dayAfterTomorrow: 2,
};

interface Phrase {
  text: string;
  /** A day category, or a weekday 1..7. */
  meaning: Category | number;
}

interface Compiled {
  phrases: Phrase[];
  /** "next Friday" forms, checked first: weekday number per folded phrase. */
  nextWeekdays: Array<{ text: string; weekday: number }>;
  modifiers: string[];
  /** Month name alternation (folded, longest first) and its month numbers. */
  monthAlt: string;
  monthOf: Map<string, number>;
  /** Solar Hijri month names (folded, longest first) and their month numbers. */
  solarAlt: string;
  solarOf: Map<string, number>;
  dayOnly: RegExp[];
  /** Part-of-day phrases (folded, longest first) and the greetings that only look like them. */
  parts: Array<{ text: string; part: PartOfDay }>;
  notParts: string[];
}

const compiled = new Map<Lang, Compiled>();
onScheduleWordsChange(() => compiled.clear());

function compile(lang: Lang): Compiled {
  const cached = compiled.get(lang);
  if (cached) return cached;
  const w = SCHEDULE_WORDS[lang];
  const phrases: Phrase[] = [];
  for (const c of CATEGORIES) for (const p of w[c]) phrases.push({ text: fold(p), meaning: c });
  w.weekdays.forEach((names, i) => {
    for (const p of names) phrases.push({ text: fold(p), meaning: i + 1 });
  });
  // English day words are understood in every language (users mix them in).
  if (lang !== 'en') {
    const en = SCHEDULE_WORDS.en;
    for (const c of ['today', 'tomorrow', 'dayAfterTomorrow', 'thisWeek', 'nextWeek'] as const) {
      for (const p of en[c]) if (p.length > 3) phrases.push({ text: fold(p), meaning: c });
    }
    en.weekdays.forEach((names, i) => {
      for (const p of names) if (p.length > 4) phrases.push({ text: fold(p), meaning: i + 1 });
    });
  }
  phrases.sort((a, b) => b.text.length - a.text.length);
  const sep = UNSPACED.has(lang) ? '' : ' ';
  const modifiers = w.nextModifier.map(fold);
  const nextWeekdays: Compiled['nextWeekdays'] = [];
  w.weekdays.forEach((names, i) => {
    const canonical = fold(names[0] ?? '');
    for (const m of modifiers) {
      nextWeekdays.push({ text: `${canonical}${sep}${m}`, weekday: i + 1 });
      nextWeekdays.push({ text: `${m}${sep}${canonical}`, weekday: i + 1 });
    }
  });
  nextWeekdays.sort((a, b) => b.text.length - a.text.length);
  const monthOf = new Map<string, number>();
  const monthNames =
    lang === 'en' ? w.months : [...w.months.map((m, i) => [...m, ...(SCHEDULE_WORDS.en.months[i] ?? [])])];
  monthNames.forEach((names, i) => {
    for (const n of names) {
      const f = fold(n);
      // "may" and "mar" are everyday words outside English; only the full English names travel.
      if (lang !== 'en' && !w.months[i]?.includes(n) && f.length < 4) continue;
      if (!monthOf.has(f)) monthOf.set(f, i + 1);
    }
  });
  const monthAlt = [...monthOf.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const solarOf = new Map<string, number>();
  (w.solarMonths ?? []).forEach((names, i) => {
    for (const n of names) solarOf.set(fold(n), i + 1);
  });
  const solarAlt = [...solarOf.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const result: Compiled = {
    solarAlt,
    solarOf,
    phrases,
    nextWeekdays,
    modifiers,
    monthAlt,
    monthOf,
    dayOnly: w.dayOnly.map((p) => new RegExp(p, 'u')),
    parts: PARTS.flatMap((part) => w.partOfDay[part].map((p) => ({ text: fold(p), part }))).sort(
      (a, b) => b.text.length - a.text.length,
    ),
    notParts: w.notPartOfDay.map(fold).sort((a, b) => b.length - a.length),
  };
  compiled.set(lang, result);
  return result;
}

/** The date in `year` closest to `today` among last, this and next year (for "20 January"). */
function nearestYear(month: number, day: number, today: DateTime): DateTime | undefined {
  const candidates = [today.year - 1, today.year, today.year + 1]
    .map((year) => DateTime.fromObject({ year, month, day }, { zone: today.zone }))
    .filter((d) => d.isValid);
  candidates.sort((a, b) => Math.abs(a.diff(today).toMillis()) - Math.abs(b.diff(today).toMillis()));
  return candidates[0];
}

function makeDate(
  year: number | undefined,
  month: number,
  day: number,
  today: DateTime,
): DateTime | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (year === undefined) return nearestYear(month, day, today);
  let y = year < 100 ? 2000 + year : year;
  if (y > 2400) y -= 543; // Thai Buddhist era
  const d = DateTime.fromObject({ year: y, month, day }, { zone: today.zone });
  return d.isValid ? d : undefined;
}

interface Found {
  date: DateTime;
  text: string;
}

function blank(text: string, match: RegExpExecArray): string {
  return `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`
    .replace(/\s+/g, ' ')
    .trim();
}

const ANY_DIGIT = /[0-9]/;

/** Explicit dates: ISO, "1月20日", "20 January", "Enero 20", "20 tháng 1", "20/1", "20.01.2027". */
function findExplicitDate(text: string, lang: Lang, today: () => DateTime): Found | undefined {
  // Every form below takes its day from ASCII digits (the text is folded: other digits are ASCII).
  if (!ANY_DIGIT.test(text)) return undefined;
  const c = compile(lang);
  const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
  let m = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/u.exec(text);
  if (m) {
    const d = makeDate(num(m[1]), Number(m[2]), Number(m[3]), today());
    if (d) return { date: d, text: blank(text, m) };
  }
  if (c.solarAlt) {
    // "۱۴ بهمن ۱۴۰۵", "۶ دلو": a day and a Solar Hijri month, the year optional.
    m = cachedRegExp(`(?<!\\d)(\\d{1,2})\\s*(${c.solarAlt})(?![\\p{L}])(?:\\s*(\\d{4})(?!\\d))?`, 'u').exec(
      text,
    );
    const month = m ? c.solarOf.get(m[2] ?? '') : undefined;
    if (m && month) {
      const day = Number(m[1]);
      const d = m[3]
        ? fromSolarHijri(Number(m[3]), month, day, today().zoneName ?? 'UTC')
        : nearestSolarHijri(month, day, today());
      if (d) return { date: d, text: blank(text, m) };
    }
  }
  m = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日?/u.exec(text);
  if (m) {
    const d = makeDate(num(m[1]), Number(m[2]), Number(m[3]), today());
    if (d) return { date: d, text: blank(text, m) };
  }
  if (c.monthAlt) {
    const tail = lang === 'tr' ? '\\p{L}*' : '';
    const wordEnd = UNSPACED.has(lang) ? '' : `${tail}(?![\\p{L}\\d])`;
    const dayFirst = cachedRegExp(
      `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th|\\.)?\\s*(?:of\\s+|de\\s+|ng\\s+)?(${c.monthAlt})${wordEnd}(?:\\s*,?\\s*(\\d{4})(?!\\d))?`,
      'u',
    );
    m = dayFirst.exec(text);
    if (m) {
      const month = c.monthOf.get(m[2] ?? '');
      const d = month ? makeDate(num(m[3]), month, Number(m[1]), today()) : undefined;
      if (d) return { date: d, text: blank(text, m) };
    }
    const monthFirst = cachedRegExp(
      `(?<![\\p{L}])(${c.monthAlt})\\s*(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:\\s*,?\\s*(\\d{4})(?!\\d))?`,
      'u',
    );
    m = monthFirst.exec(text);
    if (m) {
      const month = c.monthOf.get(m[1] ?? '');
      const d = month ? makeDate(num(m[3]), month, Number(m[2]), today()) : undefined;
      if (d) return { date: d, text: blank(text, m) };
    }
  }
  const order = SCHEDULE_WORDS[lang].numericOrder;
  // Day-first languages write "4.2" for 4 February; month-first ones keep "." for decimals.
  const sepClass = order === 'dm' ? '[/.]' : '/';
  m = cachedRegExp(
    `(?<![\\d/.:])(\\d{1,2})${sepClass}(\\d{1,2})(?:${sepClass}(\\d{2,4}))?(?![\\d/:])`,
    'u',
  ).exec(text);
  if (!m) m = /(?<![\d/.:])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/u.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    let [day, month] = order === 'md' ? [b, a] : [a, b];
    if (month > 12 && day <= 12) [day, month] = [month, day];
    const d = makeDate(num(m[3]), month, day, today());
    if (d) return { date: d, text: blank(text, m) };
  }
  for (const re of c.dayOnly) {
    m = re.exec(text);
    if (m) {
      const d = today().set({ day: Number(m[1]) });
      if (Number(m[1]) >= 1 && Number(m[1]) <= (today().daysInMonth ?? 31) && d.isValid)
        return { date: d, text: blank(text, m) };
    }
  }
  return undefined;
}

/**
 * Days computed lately, with the instants each spans: every message of a day in a zone starts from
 * the same midnight (luxon zones are slow; a message is also parsed several times). A few days are
 * kept: messages may carry their own time (a platform's timestamp, a test's or the eval's clock).
 */
const days: Array<{ from: number; until: number; zone: string; today: DateTime }> = [];
const DAYS_KEPT = 8;

function startOfDay(now: Date, zone: string): DateTime {
  const ms = now.getTime();
  for (const d of days) if (d.zone === zone && ms >= d.from && ms < d.until) return d.today;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  if (!today.isValid) return today;
  if (days.length >= DAYS_KEPT) days.shift();
  days.push({ from: today.toMillis(), until: today.plus({ days: 1 }).toMillis(), zone, today });
  return today;
}

/**
 * True when a part-of-day phrase holding `notPart` occurs in `text`: "setelah makan siang" (after
 * lunch) is the afternoon, though "makan siang" (lunch) alone names no part of the day.
 */
function insidePart(
  text: string,
  notPart: string,
  parts: ReadonlyArray<{ text: string }>,
  lang: Lang,
): boolean {
  return parts.some(
    (p) =>
      p.text.length > notPart.length && p.text.includes(notPart) && take(text, p.text, lang) !== undefined,
  );
}

/** Clause ends: commas and sentence ends in our eight scripts (a dot only before a space or the end: "29.01.2027"). */
const CLAUSE_END = /[,!?;\u3001\u3002\uff01\uff0c\uff1f\u060c\u061b\u061f]+|\.(?=\s|$)/u;

/**
 * The part-of-day phrases of `parts` that are a remark about the hour, not a part of the day asked
 * about: found only in clauses before the first clause that names a day ("pasensya na gabi na, ano
 * schedule bukas?", "夜分にすみません。来週の月曜は？"). A part in the day's own clause or after it
 * stays ("tomorrow, in the afternoon?"); so does one in a message that names no day ("this
 * afternoon?"). Runs only when a part of the day was found.
 */
function remarkParts(
  input: string,
  parts: ReadonlyArray<{ text: string }>,
  lang: Lang,
  today: () => DateTime,
): Set<string> {
  const remarks = new Set<string>();
  if (!CLAUSE_END.test(input)) return remarks;
  const clauses = input.split(CLAUSE_END).map(fold);
  const c = compile(lang);
  const namesDay = (clause: string): boolean =>
    c.phrases.some((p) => take(clause, p.text, lang) !== undefined) ||
    c.nextWeekdays.some((p) => take(clause, p.text, lang) !== undefined) ||
    findExplicitDate(clause, lang, today) !== undefined;
  const dayAt = clauses.findIndex(namesDay);
  if (dayAt <= 0) return remarks;
  for (const p of parts) {
    const at = clauses.findIndex((clause) => take(clause, p.text, lang) !== undefined);
    if (
      at !== -1 &&
      at < dayAt &&
      !clauses.slice(dayAt).some((clause) => take(clause, p.text, lang) !== undefined)
    )
      remarks.add(p.text);
  }
  return remarks;
}

/** Parses the day or range in `input` (raw user text) as seen in `zone` at `now`. */
export function parseDate(input: string, lang: Lang, now: Date, zone: string): DateParse {
  // The day is worked out (luxon, in the zone) only once a date expression is found: most messages have none.
  let day: DateTime | undefined;
  const today = (): DateTime => {
    day ??= startOfDay(now, zone);
    return day;
  };
  let text = fold(input);
  const c = compile(lang);
  // Greetings first ("good morning" asks about no morning), then the part of the day, read before
  // day phrases that contain one ("this afternoon" is today, in the afternoon).
  for (const p of c.notParts) if (!insidePart(text, p, c.parts, lang)) text = take(text, p, lang) ?? text;
  // "from morning till afternoon" names no one part.
  // "morning! what's on tomorrow": a part of the day that opens the message on its own is a greeting.
  const opener = /^\s*([\p{L}\p{M}]+)\s*[!,.。！、]/u.exec(foldLetters(input))?.[1];
  if (opener && c.parts.some((p) => p.text === opener)) text = take(text, opener, lang) ?? text;
  let partsIn = c.parts.filter((p) => p.text !== opener && take(text, p.text, lang) !== undefined);
  if (partsIn.length > 0) {
    const remarks = remarkParts(input, partsIn, lang, today);
    if (remarks.size > 0) {
      partsIn = partsIn.filter((p) => !remarks.has(p.text));
      for (const p of remarks) text = take(text, p, lang) ?? text;
    }
  }
  const named = new Set(partsIn.map((p) => p.part));
  const partOfDay: PartOfDay | undefined = named.size === 1 ? [...named][0] : undefined;
  const explicit = findExplicitDate(text, lang, today);
  if (explicit) text = explicit.text;
  let nextWeekday: number | undefined;
  for (const p of c.nextWeekdays) {
    const after = take(text, p.text, lang);
    if (after !== undefined) {
      nextWeekday = p.weekday;
      text = after;
      break;
    }
  }
  const found = new Set<Category>();
  let weekday: number | undefined;
  for (const p of c.phrases) {
    const after = take(text, p.text, lang);
    if (after === undefined) continue;
    text = after;
    if (typeof p.meaning === 'number') weekday ??= p.meaning;
    else found.add(p.meaning);
  }
  let modified = false;
  if (weekday !== undefined) {
    for (const m of c.modifiers) {
      const after = take(text, m, lang);
      if (after !== undefined) {
        modified = true;
        text = after;
      }
    }
  }

  const week = (offset: number): DateTime => today().startOf('week').plus({ weeks: offset });
  let expr: DateExpr | undefined;
  if (explicit) expr = { kind: 'day', date: explicit.date };
  else if (nextWeekday !== undefined) expr = { kind: 'day', date: week(1).plus({ days: nextWeekday - 1 }) };
  else {
    const rel = CATEGORIES.find((cat) => found.has(cat) && OFFSETS[cat] !== undefined);
    if (rel !== undefined && weekday === undefined) {
      expr = { kind: 'day', date: today().plus({ days: OFFSETS[rel] ?? 0 }) };
    } else if (weekday !== undefined) {
      if (modified || found.has('nextWeek'))
        expr = { kind: 'day', date: week(1).plus({ days: weekday - 1 }) };
      else if (found.has('thisWeek')) expr = { kind: 'day', date: week(0).plus({ days: weekday - 1 }) };
      else expr = { kind: 'day', date: today().plus({ days: (weekday - today().weekday + 7) % 7 }) };
    } else if (found.has('nextWeek')) {
      expr = { kind: 'range', which: 'nextWeek', from: week(1), to: week(1).endOf('week') };
    } else if (found.has('thisWeek')) {
      expr = { kind: 'range', which: 'thisWeek', from: week(0), to: week(0).endOf('week') };
    } else if (found.has('rest')) expr = { kind: 'rest' };
    else if (found.has('wholeCourse')) expr = { kind: 'course' };
  }
  if (partOfDay) for (const p of c.parts) text = take(text, p.text, lang) ?? text;
  const days =
    CATEGORIES.filter((cat) => found.has(cat) && OFFSETS[cat] !== undefined).length +
    (explicit ? 1 : 0) +
    (weekday !== undefined || nextWeekday !== undefined ? 1 : 0);
  return {
    expr,
    rest: text,
    ...(partOfDay ? { partOfDay } : {}),
    ...(days > 1 ? { severalDays: true } : {}),
  };
}
