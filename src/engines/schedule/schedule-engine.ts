/**
 * Answers a parsed schedule question from the timetables: which sessions, per course. Pure: the
 * clock comes in as `now`; nothing here knows about platforms or wording.
 */
import { DateTime } from 'luxon';
import type { Course, Session } from './course-file.js';
import type { DateExpr, PartOfDay } from './date-parser.js';
import type { ScheduleQuestion } from './question.js';

export interface CourseAnswer {
  course: Course;
  /** Chronological. */
  sessions: Session[];
  /** For an empty day: the first session after it. */
  nextAfter?: Session;
}

export interface ScheduleAnswer {
  question: ScheduleQuestion;
  /** The day or range answered (in the first course's zone), when the question named one. */
  date?: DateExpr;
  perCourse: CourseAnswer[];
  /** Several courses answered because the user's course is unknown. */
  ambiguous: boolean;
}

const byStart = (a: Session, b: Session): number => a.start.toMillis() - b.start.toMillis();

/** Courses running on `day`; else those still to come; else every course. */
function current(courses: readonly Course[], day: string): Course[] {
  const running = courses.filter((c) => c.start <= day && day <= c.end);
  if (running.length > 0) return running;
  const open = courses.filter((c) => c.end >= day);
  return open.length > 0 ? open : [...courses];
}

/** Whether a session falls in `expr`: the test built once per answer (a course has many sessions). */
function inRange(expr: DateExpr, now: DateTime): (s: Session) => boolean {
  switch (expr.kind) {
    case 'day': {
      const day = expr.date.toISODate();
      return (s) => s.date === day;
    }
    case 'range': {
      const from = expr.from.toISODate() ?? '';
      const to = expr.to.toISODate() ?? '';
      return (s) => s.date >= from && s.date <= to;
    }
    case 'rest':
      return (s) => s.end > now;
    case 'course':
      return () => true;
  }
}

function overlaps(c: Course, expr: DateExpr, today: string): boolean {
  switch (expr.kind) {
    case 'day': {
      const d = expr.date.toISODate() ?? '';
      return c.start <= d && d <= c.end;
    }
    case 'range':
      return c.start <= (expr.to.toISODate() ?? '') && (expr.from.toISODate() ?? '') <= c.end;
    case 'rest':
    case 'course':
      return c.end >= today;
  }
}

/** Whether a session is held in that part of the day (course time; a whole-day session is in both halves). */
export function inPartOfDay(s: Session, part: PartOfDay): boolean {
  const start = s.start.hour * 60 + s.start.minute;
  const end = s.end.hour * 60 + s.end.minute;
  if (part === 'morning') return start < 12 * 60;
  if (part === 'afternoon') return start < 17 * 60 && end > 12 * 60 + 30;
  return start >= 17 * 60 || end > 17 * 60 + 30;
}

/** The first upcoming session(s) (several when they start together). */
function upcoming(sessions: readonly Session[], now: DateTime): Session[] {
  const next = sessions.filter((s) => s.start > now).sort(byStart);
  const first = next[0];
  return first ? next.filter((s) => s.start.equals(first.start)) : [];
}

function dayAnswer(
  courses: readonly Course[],
  expr: DateExpr,
  now: DateTime,
  today: string,
  part?: PartOfDay,
): CourseAnswer[] {
  let relevant = courses.filter((c) => overlaps(c, expr, today));
  if (relevant.length === 0)
    relevant = current(courses, expr.kind === 'day' ? (expr.date.toISODate() ?? today) : today);
  const held = inRange(expr, now);
  return relevant.map((course) => {
    const sessions = course.sessions.filter((s) => held(s) && (part === undefined || inPartOfDay(s, part)));
    if (sessions.length > 0 || expr.kind !== 'day') return { course, sessions };
    const day = expr.date.toISODate() ?? '';
    const nextAfter = course.sessions.find((s) => s.date > day);
    return nextAfter ? { course, sessions, nextAfter } : { course, sessions };
  });
}

/**
 * The sessions answering `q` in `courses` (already narrowed to the user's course when known).
 * `known` says whether the course was known; otherwise several courses mean an ambiguous answer.
 */
export function answerQuestion(
  courses: readonly Course[],
  q: ScheduleQuestion,
  nowDate: Date,
  known: boolean,
): ScheduleAnswer {
  const zone = courses[0]?.timezone ?? 'UTC';
  const now = DateTime.fromJSDate(nowDate, { zone });
  const today = now.toISODate() ?? '';
  const todayExpr: DateExpr = { kind: 'day', date: now.startOf('day') };
  let perCourse: CourseAnswer[] = [];
  let date: DateExpr | undefined = q.date;

  switch (q.focus) {
    case 'session': {
      const named = q.named?.sessions ?? [];
      for (const course of courses) {
        let matches = named.filter((s) => s.courseId === course.id);
        if (matches.length === 0) continue;
        if (q.date) {
          const expr = q.date;
          const part = q.partOfDay;
          const held = inRange(expr, now);
          matches = matches.filter((s) => held(s) && (!part || inPartOfDay(s, part)));
          if (matches.length === 0) continue;
        } else if (q.nextOnly) {
          matches = upcoming(matches, now);
        } else {
          const ahead = matches.filter((s) => s.end > now);
          if (ahead.length > 0) matches = ahead;
        }
        if (matches.length > 0) perCourse.push({ course, sessions: matches });
      }
      // Nothing by that name on the day asked: show the day instead.
      if (perCourse.length === 0 && q.date) perCourse = dayAnswer(courses, q.date, now, today);
      break;
    }
    case 'day':
      perCourse = dayAnswer(courses, q.date ?? todayExpr, now, today, q.partOfDay);
      break;
    case 'overview':
      date = todayExpr;
      perCourse = dayAnswer(courses, todayExpr, now, today);
      break;
    case 'next':
      for (const course of current(courses, today)) {
        const next = upcoming(course.sessions, now);
        if (next.length > 0) perCourse.push({ course, sessions: next });
      }
      break;
    case 'now':
      for (const course of current(courses, today)) {
        const running = course.sessions.filter((s) => s.start <= now && now < s.end);
        const sessions = running.length > 0 ? running : upcoming(course.sessions, now);
        if (sessions.length > 0) perCourse.push({ course, sessions });
      }
      break;
    case 'courseStart':
    case 'courseEnd':
      for (const course of current(courses, today)) {
        const s =
          q.focus === 'courseStart' ? course.sessions[0] : course.sessions[course.sessions.length - 1];
        perCourse.push({ course, sessions: s ? [s] : [] });
      }
      break;
  }
  return {
    question: q,
    ...(date ? { date } : {}),
    perCourse,
    ambiguous: !known && perCourse.length > 1,
  };
}
