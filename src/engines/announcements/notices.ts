/**
 * Structured notices: what coordinators post most (a session moved or cancelled, a meeting point, a
 * dress instruction, a weather or safety alert, a deadline), written in every language by the
 * templates in `locales/<lang>/notices.json`, never machine-translated. The fields are checked with
 * one zod schema per kind; sessions are picked from the timetable by id; times are shown in the
 * course's time zone, formatted with luxon for each language.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { makeReply, type Reply } from '../../core/reply.js';
import type { I18nService, Translator } from '../../i18n/i18n.js';
import { type Course, type LocalizedText, localized, type Session } from '../schedule/course-file.js';

export const NOTICE_KINDS = [
  'session-moved',
  'session-cancelled',
  'meeting-point',
  'dress',
  'alert',
  'deadline',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const DRESS_CODES = [
  'uniform',
  'suit',
  'business-casual',
  'casual',
  'sportswear',
  'warm',
  'rain',
] as const;
export const HAZARDS = ['typhoon', 'heavy-rain', 'snow', 'heat', 'earthquake', 'other'] as const;
export const DEADLINE_ITEMS = ['documents', 'survey', 'report', 'registration', 'payment', 'other'] as const;

const ID = /^[a-z0-9][a-z0-9-]*$/;
const id = z.string().trim().regex(ID);
const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => DateTime.fromISO(v).isValid);
const time = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const localDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d$/)
  .refine((v) => DateTime.fromISO(v.replace(' ', 'T')).isValid);
const MAX_TEXT = 300;
const oneText = z.string().trim().min(1).max(MAX_TEXT);
/** Text the coordinator writes (a place, a note): one string, or one per language. */
const freeText = z.union([
  oneText,
  z.partialRecord(z.enum(LANGUAGES), oneText).refine((m) => Object.keys(m).length > 0, { message: 'empty' }),
]);
export type FreeText = z.infer<typeof freeText>;

/** A timetable's text per language as notice text. */
export function fromLocalized(t: LocalizedText): FreeText {
  return Object.fromEntries(Object.entries(t).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const common = { course: id.optional(), note: freeText.optional() };

/** The fields of each kind. Dates and times are local to the course (`course`, or the session's). */
export const noticeSchemas = {
  'session-moved': z
    .strictObject({
      ...common,
      session: id,
      date: date.optional(),
      start: time.optional(),
      end: time.optional(),
      place: freeText.optional(),
      meet: freeText.optional(),
    })
    .refine((f) => f.date || f.start || f.place, { message: 'nothingChanged', path: ['start'] }),
  'session-cancelled': z.strictObject({ ...common, session: id }),
  'meeting-point': z
    .strictObject({
      ...common,
      session: id.optional(),
      date: date.optional(),
      time,
      place: freeText,
      departure: time.optional(),
    })
    .refine((f) => f.date || f.session, { message: 'required', path: ['date'] }),
  dress: z
    .strictObject({ ...common, session: id.optional(), date: date.optional(), dress: z.enum(DRESS_CODES) })
    .refine((f) => f.date || f.session, { message: 'required', path: ['date'] }),
  alert: z.strictObject({ ...common, hazard: z.enum(HAZARDS), until: localDateTime.optional() }),
  deadline: z.strictObject({
    ...common,
    what: z.enum(DEADLINE_ITEMS),
    date,
    time: time.optional(),
  }),
} satisfies Record<NoticeKind, z.ZodType>;

export type NoticeFields<K extends NoticeKind> = z.infer<(typeof noticeSchemas)[K]>;

/** A checked notice, with its session (when it names one) resolved in the timetable. */
export type Notice = {
  [K in NoticeKind]: { kind: K; fields: NoticeFields<K>; session?: Session; zone: string };
}[NoticeKind];

/** One problem with the fields, as a code the templates word in each language. */
export interface NoticeProblem {
  field: string;
  code:
    | 'kind'
    | 'required'
    | 'format'
    | 'choice'
    | 'unknownField'
    | 'unknownSession'
    | 'unknownCourse'
    | 'ambiguousSession'
    | 'nothingChanged'
    | 'tooLong'
    | 'invalid';
  params?: Record<string, string>;
}

/** Where notices look up sessions and which zone they use when no course is named. */
export interface NoticeContext {
  courses: readonly Course[];
  /** The center's time zone, for notices about no course. */
  defaultZone: string;
}

const EXAMPLES: Record<string, string> = {
  date: '2027-01-20',
  start: '10:00',
  end: '12:00',
  time: '08:15',
  departure: '08:30',
  until: '2027-01-20 18:00',
  course: 'koban-seminar-2027',
  session: 'koban-visit',
};

const CHOICES: Record<string, readonly string[]> = {
  dress: DRESS_CODES,
  hazard: HAZARDS,
  what: DEADLINE_ITEMS,
  kind: NOTICE_KINDS,
};

function problemsFrom(error: z.ZodError, raw: unknown): NoticeProblem[] {
  const given = (field: string): boolean =>
    typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[field] !== undefined;
  const out: NoticeProblem[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'fields');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: key, code: 'unknownField' });
    } else if (issue.message === 'nothingChanged' || issue.message === 'required') {
      out.push({ field, code: issue.message });
    } else if (!given(field)) {
      out.push({ field, code: 'required' });
    } else if (issue.code === 'too_big') {
      out.push({ field, code: 'tooLong', params: { max: String(MAX_TEXT) } });
    } else if (CHOICES[field]) {
      out.push({ field, code: 'choice', params: { choices: (CHOICES[field] ?? []).join(', ') } });
    } else if (EXAMPLES[field]) {
      out.push({ field, code: 'format', params: { example: EXAMPLES[field] ?? '' } });
    } else {
      out.push({ field, code: 'invalid' });
    }
  }
  // One line per field is enough (a union reports each branch).
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.field) && Boolean(seen.add(p.field)));
}

function findSession(
  ctx: NoticeContext,
  courseId: string | undefined,
  sessionId: string,
): { session: Session } | { problem: NoticeProblem } {
  const courses = courseId ? ctx.courses.filter((c) => c.id === courseId) : ctx.courses;
  const found = courses.flatMap((c) => c.sessions.filter((s) => s.id === sessionId));
  const [first] = found;
  if (!first) return { problem: { field: 'session', code: 'unknownSession', params: { value: sessionId } } };
  if (found.length > 1)
    return { problem: { field: 'session', code: 'ambiguousSession', params: { value: sessionId } } };
  return { session: first };
}

/** Checks a notice's fields against its kind's schema and the timetable. */
export function checkNotice(
  kind: string,
  fields: unknown,
  ctx: NoticeContext,
): { ok: true; notice: Notice } | { ok: false; problems: NoticeProblem[] } {
  if (!(NOTICE_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      problems: [{ field: 'kind', code: 'kind', params: { choices: NOTICE_KINDS.join(', ') } }],
    };
  }
  const k = kind as NoticeKind;
  const parsed = noticeSchemas[k].safeParse(fields ?? {});
  if (!parsed.success) return { ok: false, problems: problemsFrom(parsed.error, fields) };
  const f = parsed.data as { course?: string; session?: string };
  let course: Course | undefined;
  if (f.course) {
    course = ctx.courses.find((c) => c.id === f.course);
    if (!course)
      return {
        ok: false,
        problems: [{ field: 'course', code: 'unknownCourse', params: { value: f.course } }],
      };
  }
  let session: Session | undefined;
  if (f.session) {
    const found = findSession(ctx, f.course, f.session);
    if ('problem' in found) return { ok: false, problems: [found.problem] };
    session = found.session;
    course = ctx.courses.find((c) => c.id === found.session.courseId);
  }
  const zone = course?.timezone ?? ctx.defaultZone;
  const notice = { kind: k, fields: parsed.data, zone, ...(session ? { session } : {}) } as Notice;
  return { ok: true, notice };
}

/** Intl locale for a language, as luxon takes it. */
export function intlLocale(lang: Lang): string {
  return lang === 'tl' ? 'fil' : lang;
}

/** Dates and times of one language in one zone (Gregorian calendar everywhere: timetables use it). */
export class NoticeClock {
  constructor(
    readonly lang: Lang,
    readonly zone: string,
  ) {}

  private dt(d: DateTime): DateTime {
    return d.setZone(this.zone).reconfigure({ locale: intlLocale(this.lang), outputCalendar: 'gregory' });
  }

  local(day: string, hhmm = '00:00'): DateTime {
    return DateTime.fromISO(`${day}T${hhmm}`, { zone: this.zone });
  }

  date(d: DateTime): string {
    return this.dt(d).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });
  }

  time(d: DateTime): string {
    return this.dt(d).toLocaleString({ hour: 'numeric', minute: '2-digit' });
  }

  /** Day, time and zone together, in the language's own order: "Thursday, January 21 at 7:00 AM GMT+9", "1月21日木曜日 7:00 JST". */
  dateTime(d: DateTime): string {
    return this.dt(d).toLocaleString({
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    });
  }
}

/** A span of minutes in words: "45 minutes", "12 時間", "1 ساعت و ۳۰ دقیقه". */
export function durationText(minutes: number, lang: Lang): string {
  const loc = intlLocale(lang);
  const unit = (n: number, u: 'day' | 'hour' | 'minute'): string =>
    new Intl.NumberFormat(loc, { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  if (mins || parts.length === 0) parts.push(unit(mins, 'minute'));
  return new Intl.ListFormat(loc, { type: 'unit', style: 'long' }).format(parts);
}

/** Free text in `lang`, else English, else the first version given. */
export function freeTextIn(text: FreeText, lang: Lang): string {
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? '';
}

function reply(lang: Lang, title: string, lines: string[], kind: string): Reply {
  return makeReply({ intent: 'announce', lang, title, text: lines.filter(Boolean).join('\n'), kind });
}

function noteLine(t: Translator, note: FreeText | undefined, lang: Lang): string {
  return note ? t('note', { note: freeTextIn(note, lang) }) : '';
}

/** The notice's lines in one language. */
function lines(n: Notice, lang: Lang, t: Translator): string[] {
  const c = new NoticeClock(lang, n.zone);
  const s = n.session;
  const title = s ? localized(s.title, lang) : '';
  switch (n.kind) {
    case 'session-moved': {
      if (!s) return [];
      const f = n.fields;
      const newStart = c.local(f.date ?? s.date, f.start ?? s.startTime);
      const out: string[] = [];
      const timeChanged = newStart.toMillis() !== s.start.toMillis();
      const place = f.place ? freeTextIn(f.place, lang) : undefined;
      if (!timeChanged && place) {
        out.push(t('moved.place', { session: title, date: c.date(s.start), time: c.time(s.start), place }));
      } else {
        const sameDay = newStart.toISODate() === s.date;
        out.push(
          t(sameDay ? 'moved.time' : 'moved.day', {
            session: title,
            oldDate: c.date(s.start),
            oldTime: c.time(s.start),
            date: c.date(newStart),
            time: c.time(newStart),
          }),
        );
        if (place) out.push(t('moved.newPlace', { place }));
      }
      if (f.meet) out.push(t('moved.meet', { place: freeTextIn(f.meet, lang) }));
      return out;
    }
    case 'session-cancelled':
      return s ? [t('cancelled', { session: title, date: c.date(s.start), time: c.time(s.start) })] : [];
    case 'meeting-point': {
      const f = n.fields;
      const at = c.local(f.date ?? s?.date ?? '', f.time);
      const vars = { session: title, place: freeTextIn(f.place, lang), date: c.date(at), time: c.time(at) };
      const out = [t(s ? 'meeting.forSession' : 'meeting.base', vars)];
      if (f.departure)
        out.push(t('meeting.departure', { time: c.time(c.local(f.date ?? s?.date ?? '', f.departure)) }));
      return out;
    }
    case 'dress': {
      const f = n.fields;
      const day = s ? s.start : c.local(f.date ?? '');
      const dress = t(`dress.options.${f.dress}`);
      return [t(s ? 'dress.session' : 'dress.day', { session: title, date: c.date(day), dress })];
    }
    case 'alert': {
      const f = n.fields;
      const out = [t(`alert.hazard.${f.hazard}`), t(`alert.advice.${f.hazard}`)];
      if (f.until) {
        const until = DateTime.fromISO(f.until.replace(' ', 'T'), { zone: n.zone });
        out.push(t('alert.until', { date: c.date(until), time: c.time(until) }));
      }
      return out;
    }
    case 'deadline': {
      const f = n.fields;
      const at = c.local(f.date, f.time ?? '00:00');
      const what = t(`deadline.what.${f.what}`);
      return [
        f.time
          ? t('deadline.lineTime', { what, date: c.date(at), time: c.time(at) })
          : t('deadline.line', { what, date: c.date(at) }),
      ];
    }
  }
}

/** A checked notice in one language. */
export function noticeReply(n: Notice, lang: Lang, i18n: I18nService): Reply {
  const t = i18n.t(lang, 'notices');
  const body = lines(n, lang, t);
  body.push(noteLine(t, n.fields.note, lang));
  return reply(lang, t(`title.${n.kind}`), body, n.kind);
}

/** The problems, worded in `lang`: a polite refusal that names each field. */
export function problemsReply(problems: readonly NoticeProblem[], lang: Lang, i18n: I18nService): Reply {
  const t = i18n.t(lang, 'notices');
  const fieldName = (f: string): string => (i18n.has(`field.${f}`, 'notices') ? t(`field.${f}`) : f);
  const out = [t('invalid.intro')];
  for (const p of problems)
    out.push(
      `• ${t('invalid.line', { field: fieldName(p.field), problem: t(`invalid.${p.code}`, p.params ?? {}) })}`,
    );
  return reply(lang, t('invalid.title'), out, 'notice-invalid');
}

export type NoticeResult =
  | { ok: true; notice: Notice; reply: Reply }
  | { ok: false; problems: NoticeProblem[]; reply: Reply };

/**
 * Checks `fields` for a notice of `kind` and writes it in `lang`. Bad fields give a polite reply in
 * `lang` naming each problem, never an exception.
 */
export function renderNotice(
  kind: string,
  fields: unknown,
  lang: Lang,
  ctx: NoticeContext & { i18n: I18nService },
): NoticeResult {
  const checked = checkNotice(kind, fields, ctx);
  if (!checked.ok)
    return { ok: false, problems: checked.problems, reply: problemsReply(checked.problems, lang, ctx.i18n) };
  return { ok: true, notice: checked.notice, reply: noticeReply(checked.notice, lang, ctx.i18n) };
}

/**
 * The announcement service's `notices` option: checks a structured notice against the timetables
 * and writes it in all eight languages (English as the original). Problems come back as
 * `notice.<code>` errors, worded by `localizeAnnounceErrors` from these templates.
 */
export function noticeRenderer(deps: {
  courses: () => readonly Course[];
  defaultZone: () => string;
  i18n: I18nService;
}): (notice: { kind: string; fields: Record<string, unknown> }) =>
  | {
      ok: true;
      payload: { original: Lang; versions: Partial<Record<Lang, { title?: string; text: string }>> };
    }
  | { ok: false; errors: Array<{ field: string; code: string; params?: Record<string, string> }> } {
  return (input) => {
    const checked = checkNotice(input.kind, input.fields, {
      courses: deps.courses(),
      defaultZone: deps.defaultZone(),
    });
    if (!checked.ok)
      return {
        ok: false,
        errors: checked.problems.map((p) => ({
          field: p.field,
          code: `notice.${p.code}`,
          ...(p.params ? { params: p.params } : {}),
        })),
      };
    const versions: Partial<Record<Lang, { title?: string; text: string }>> = {};
    for (const lang of LANGUAGES) {
      const r = noticeReply(checked.notice, lang, deps.i18n);
      versions[lang] = {
        ...(r.title ? { title: r.title.slice(0, 200) } : {}),
        text: r.text.slice(0, 3500),
      };
    }
    return { ok: true, payload: { original: 'en', versions } };
  };
}
