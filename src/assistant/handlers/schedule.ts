/**
 * Course timetables: "what do we have tomorrow?", "when is the koban site visit?", "what is my next
 * class?", "when does the course end?", plus choosing one's course ("/course", "my course is …",
 * course buttons) and channels linked to a course (KOBAN_CHANNEL_COURSES).
 */
import { z } from 'zod';
import { ConfigError } from '../../config.js';
import type { Lang } from '../../core/languages.js';
import { lazyAttachment, type Reply, type ReplyButton, type SessionRef } from '../../core/reply.js';
import {
  type CourseCommand,
  parseCourseCommand,
  resolveCourse,
} from '../../engines/schedule/course-command.js';
import { type Course, localized, type Session } from '../../engines/schedule/course-file.js';
import { sessionsToIcs } from '../../engines/schedule/ics.js';
import { parseQuestion, type ScheduleQuestion } from '../../engines/schedule/question.js';
import { answerQuestion, type ScheduleAnswer } from '../../engines/schedule/schedule-engine.js';
import type { ScheduleService } from '../../engines/schedule/schedule-service.js';
import type { I18nService, Translator } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../stores/store.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

const channelLink = z
  .string()
  .regex(
    /^(slack|discord|console|cli):[^=\s]+=[a-z0-9][a-z0-9-]*$/,
    'must look like "slack:C0123ABC=koban-seminar-2027" (platform:channelId=course-id)',
  );

/** Parses KOBAN_CHANNEL_COURSES entries into "platform:channelId" → course id. */
export function parseChannelCourses(entries: readonly string[]): Map<string, string> {
  const links = new Map<string, string>();
  for (const entry of entries) {
    const parsed = channelLink.safeParse(entry);
    if (!parsed.success) {
      throw new ConfigError(
        `KOBAN_CHANNEL_COURSES: "${entry}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
      );
    }
    const at = entry.lastIndexOf('=');
    links.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return links;
}

export interface ScheduleHandlerDeps {
  schedules: ScheduleService;
  store: Store;
  i18n: I18nService;
  logger: Logger;
  /** KOBAN_CHANNEL_COURSES entries ("platform:channelId=course-id"). */
  channelCourses?: readonly string[];
  /** Told of every question answered (the conversation context keeps it for follow-ups). */
  onQuestion?: (turn: Turn, question: ScheduleQuestion) => void;
}

/** Intl locale for a language; Dari/Persian dates in the Gregorian calendar the timetables use. */
function locale(lang: Lang): string {
  if (lang === 'tl') return 'fil';
  if (lang === 'fa') return 'fa-u-ca-gregory';
  return lang;
}

class Formatter {
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly timeFmt: Intl.DateTimeFormat;
  private readonly shortDate: Intl.DateTimeFormat;
  private readonly ranges = new WeakMap<Session, string>();

  constructor(lang: Lang, zone: string) {
    const loc = locale(lang);
    this.dateFmt = new Intl.DateTimeFormat(loc, {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
    this.shortDate = new Intl.DateTimeFormat(loc, {
      timeZone: zone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    this.timeFmt = new Intl.DateTimeFormat(loc, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  }

  date(d: Date): string {
    return this.dateFmt.format(d);
  }

  longDate(d: Date): string {
    return this.shortDate.format(d);
  }

  times(s: Session): string {
    // A timetable's sessions live as long as its knowledge version: each range is formatted once.
    let text = this.ranges.get(s);
    if (text === undefined) {
      text = this.timeFmt.formatRange(s.start.toJSDate(), s.end.toJSDate());
      this.ranges.set(s, text);
    }
    return text;
  }

  time(s: Session): string {
    return this.timeFmt.format(s.start.toJSDate());
  }
}

const formatters = new Map<string, Formatter>();

/** One formatter per language and time zone (building Intl formats costs more than using them). */
function formatterFor(lang: Lang, zone: string): Formatter {
  const key = `${lang} ${zone}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Formatter(lang, zone);
    formatters.set(key, fmt);
  }
  return fmt;
}

function toRef(s: Session, lang: Lang): SessionRef {
  const iso = (d: Session['start']): string => d.toISO({ suppressMilliseconds: true }) ?? '';
  return {
    courseId: s.courseId,
    sessionId: s.id,
    start: iso(s.start),
    end: iso(s.end),
    title: localized(s.title, lang),
    ...(s.location ? { location: localized(s.location, lang) } : {}),
  };
}

/** Answers schedule questions and course choices. */
export function scheduleHandler(deps: ScheduleHandlerDeps) {
  const links = parseChannelCourses(deps.channelCourses ?? []);
  for (const [channel, id] of links) {
    if (!deps.schedules.course(id)) {
      deps.logger.warn({ channel, course: id }, 'KOBAN_CHANNEL_COURSES names a course with no schedule file');
    }
  }
  const parsed = new WeakMap<Turn, { command?: CourseCommand; question?: ScheduleQuestion }>();
  const s = (turn: Turn): Translator => deps.i18n.t(turn.lang, 'schedule');

  /** The course this turn is about, and whether it comes from the channel. */
  const knownCourse = (turn: Turn): { course?: Course; channel: boolean } => {
    const channelId = turn.msg.channelId;
    const linked = channelId ? links.get(`${turn.msg.platform}:${channelId}`) : undefined;
    const byChannel = linked ? deps.schedules.course(linked) : undefined;
    if (byChannel) return { course: byChannel, channel: true };
    const mine = turn.prefs.course ? deps.schedules.course(turn.prefs.course) : undefined;
    return mine ? { course: mine, channel: false } : { channel: false };
  };

  const analyse = (turn: Turn) => {
    let result = parsed.get(turn);
    if (result) return result;
    result = {};
    if (turn.msg.action?.type !== 'course' && deps.schedules.courses.length > 0) {
      const command = parseCourseCommand(turn.text, turn.lang);
      const resolves =
        command?.kind === 'set' && (command.explicit || resolveCourse(command.input, deps.schedules.courses));
      if (command && (command.kind === 'pick' || resolves)) result.command = command;
      else {
        const { course } = knownCourse(turn);
        const zone = course?.timezone ?? deps.schedules.courses[0]?.timezone ?? 'UTC';
        const ids = course ? new Set([course.id]) : undefined;
        const question = parseQuestion(turn.text, turn.lang, turn.now, zone, deps.schedules.index, ids);
        if (question) result.question = question;
      }
    }
    parsed.set(turn, result);
    return result;
  };

  const courseButtons = (turn: Turn): ReplyButton[] =>
    deps.schedules.courses.map((c) => ({
      label: localized(c.title, turn.lang),
      action: { type: 'course' as const, courseId: c.id },
    }));

  const setCourse = async (turn: Turn, course: Course): Promise<Reply> => {
    await deps.store.updateUser(turn.userKey, { course: course.id });
    return makeReply({
      intent: 'course',
      lang: turn.lang,
      text: s(turn)('set', { course: localized(course.title, turn.lang) }),
    });
  };

  const courseReply = async (turn: Turn, command: CourseCommand): Promise<Reply> => {
    if (command.kind === 'set') {
      const course = resolveCourse(command.input, deps.schedules.courses);
      if (course) return setCourse(turn, course);
      return makeReply({
        intent: 'course',
        lang: turn.lang,
        text: s(turn)('unknown', { input: command.input }),
        buttons: courseButtons(turn),
      });
    }
    const mine = turn.prefs.course ? deps.schedules.course(turn.prefs.course) : undefined;
    return makeReply({
      intent: 'course',
      lang: turn.lang,
      text: mine ? s(turn)('current', { course: localized(mine.title, turn.lang) }) : s(turn)('pick'),
      buttons: courseButtons(turn),
    });
  };

  const heading = (turn: Turn, answer: ScheduleAnswer, fmt: Formatter): string => {
    const t = s(turn);
    const date = answer.date;
    if (answer.question.focus === 'day' || answer.question.focus === 'overview') {
      if (date?.kind === 'day') return t('heading.day', { date: fmt.date(date.date.toJSDate()) });
      if (date?.kind === 'range') {
        return t(`heading.${date.which}`, {
          from: fmt.date(date.from.toJSDate()),
          to: fmt.date(date.to.toJSDate()),
        });
      }
      if (date?.kind === 'rest') return t('heading.rest');
      return t('heading.course');
    }
    return t(`heading.${answer.question.focus}`);
  };

  /** Lines for one course's sessions, grouped by day when they span several days. */
  const sessionLines = (
    turn: Turn,
    sessions: readonly Session[],
    fmt: Formatter,
    withNotes: boolean,
  ): string[] => {
    const t = s(turn);
    const lines: string[] = [];
    const days = new Set(sessions.map((x) => x.date));
    let lastDay = '';
    for (const x of sessions) {
      if ((days.size > 1 || withNotes) && x.date !== lastDay) {
        lines.push(`*${fmt.date(x.start.toJSDate())}*`);
        lastDay = x.date;
      }
      const title = localized(x.title, turn.lang);
      const place = x.location ? localized(x.location, turn.lang) : undefined;
      const time = fmt.times(x);
      lines.push(`- ${place ? t('lineWithPlace', { time, title, place }) : t('line', { time, title })}`);
      if (withNotes && x.notes) lines.push(`  ${t('note', { note: localized(x.notes, turn.lang) })}`);
    }
    return lines;
  };

  const answerReply = (turn: Turn, question: ScheduleQuestion): Reply => {
    deps.onQuestion?.(turn, question);
    const t = s(turn);
    const { course: known, channel } = knownCourse(turn);
    const all = deps.schedules.courses;
    if (all.length === 0)
      return makeReply({ intent: 'schedule', lang: turn.lang, text: t('noCourses'), sessions: [] });
    const courses = known ? [known] : all;
    const answer = answerQuestion(courses, question, turn.now, known !== undefined);
    const zone = courses[0]?.timezone ?? 'UTC';
    const fmt = formatterFor(turn.lang, zone);
    const blocks: string[] = [];
    const focus = question.focus;
    for (const { course, sessions, nextAfter } of answer.perCourse) {
      const lines: string[] = [];
      if (answer.perCourse.length > 1) lines.push(`**${localized(course.title, turn.lang)}**`);
      if (focus === 'courseStart' || focus === 'courseEnd') {
        lines.push(
          t('courseDates', {
            course: localized(course.title, turn.lang),
            start: fmt.longDate(new Date(`${course.start}T12:00:00Z`)),
            end: fmt.longDate(new Date(`${course.end}T12:00:00Z`)),
          }),
        );
      }
      if (sessions.length === 0) {
        const date = answer.date;
        if (date?.kind === 'day' && nextAfter) {
          lines.push(
            t('noSessionsNext', {
              date: fmt.date(date.date.toJSDate()),
              title: localized(nextAfter.title, turn.lang),
              when: `${fmt.date(nextAfter.start.toJSDate())} ${fmt.time(nextAfter)}`,
            }),
          );
        } else if (date?.kind === 'day')
          lines.push(t('noSessions', { date: fmt.date(date.date.toJSDate()) }));
        else if (date) lines.push(t('noSessionsRange'));
        else lines.push(t('nothingAhead'));
      } else {
        const now = turn.now.getTime();
        if (focus === 'now' && sessions.every((x) => x.start.toMillis() > now)) lines.push(t('nothingNow'));
        lines.push(
          ...sessionLines(turn, sessions, fmt, focus === 'session' || focus === 'next' || focus === 'now'),
        );
        if (focus === 'session' && sessions.every((x) => x.end.toMillis() <= now)) lines.push(t('past'));
      }
      blocks.push(lines.join('\n'));
    }
    if (answer.perCourse.length === 0) blocks.push(t('nothingAhead'));

    const sessions = answer.perCourse
      .flatMap((c) => c.sessions)
      .sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.courseId.localeCompare(b.courseId));
    const notes: string[] = [];
    if (channel && known) notes.push(t('channel', { course: localized(known.title, turn.lang) }));
    const offerCalendar =
      sessions.length > 0 && (focus === 'session' || focus === 'next' || answer.date?.kind !== 'day');
    let attachment: Reply['attachment'];
    if (offerCalendar) {
      const ids = [...new Set(sessions.map((x) => x.courseId))];
      const filename = `${ids.length === 1 ? ids[0] : 'schedule'}${sessions.length === 1 ? `-${sessions[0]?.id}` : ''}.ics`;
      const name = ids.length === 1 && courses[0] ? localized(courses[0].title, turn.lang) : 'Schedule';
      const { lang, now } = turn;
      // Built only when an adapter reads it (most answers are never downloaded as a file).
      attachment = lazyAttachment(filename, 'text/calendar', () => sessionsToIcs(sessions, lang, name, now));
      notes.push(t('calendar', { file: filename }));
    }
    let text = blocks.join('\n\n');
    if (answer.ambiguous) text += `\n\n${t('ambiguous')}`;
    return makeReply({
      intent: 'schedule',
      lang: turn.lang,
      title: heading(turn, answer, fmt),
      text,
      notes,
      sessions: sessions.map((x) => toRef(x, turn.lang)),
      ...(answer.ambiguous ? { buttons: courseButtons(turn) } : {}),
      ...(attachment ? { attachment } : {}),
    });
  };

  const handler = {
    intent: 'schedule',
    match(turn: Turn): boolean {
      if (turn.msg.action?.type === 'course') return true;
      if (turn.msg.action && turn.msg.action.type !== 'say') return false;
      const r = analyse(turn);
      return r.command !== undefined || r.question !== undefined;
    },
    /** A question naming a day or a session; without one, help and small talk go first. */
    claims(turn: Turn): boolean {
      if (turn.msg.action && turn.msg.action.type !== 'say') return false;
      const q = analyse(turn).question;
      return q !== undefined && (q.date !== undefined || q.named !== undefined);
    },
    async handle(turn: Turn): Promise<Reply> {
      const action = turn.msg.action;
      if (action?.type === 'course') {
        const course = deps.schedules.course(action.courseId);
        return course ? setCourse(turn, course) : courseReply(turn, { kind: 'pick' });
      }
      const r = analyse(turn);
      if (r.command) return courseReply(turn, r.command);
      if (r.question) return answerReply(turn, r.question);
      return courseReply(turn, { kind: 'pick' });
    },
  } satisfies IntentHandler;
  /** `answer` answers a question built elsewhere (a follow-up: "and tomorrow?"). */
  return { ...handler, answer: answerReply };
}
