/**
 * Keeps each user's conversation context in the store after every turn: the last FAQ or schedule
 * answer (for follow-ups) and the last few turns (for a hand-off to a person).
 */
import { DateTime } from 'luxon';
import type { Reply } from '../core/reply.js';
import type { DateExpr } from '../engines/schedule/date-parser.js';
import type { ScheduleQuestion } from '../engines/schedule/question.js';
import type { ScheduleService } from '../engines/schedule/schedule-service.js';
import type { Logger } from '../logger.js';
import type {
  ContextRepo,
  ConversationContext,
  LastAnswer,
  ScheduleQueryRef,
  TurnRead,
} from '../stores/context.js';
import type { Handoff } from '../stores/handoffs.js';
import { redactPersonalData } from '../stores/redact.js';
import type { Turn } from './turn.js';

/** Turn texts kept for a hand-off are cut to this many characters. */
const TURN_CHARS = 500;

/** The schedule question as the store keeps it. */
export function toQueryRef(q: ScheduleQuestion, fallbackZone: string): ScheduleQueryRef {
  const zone = q.date?.kind === 'day' ? (q.date.date.zoneName ?? fallbackZone) : fallbackZone;
  let date: ScheduleQueryRef['date'];
  if (q.date?.kind === 'day') date = { kind: 'day', day: q.date.date.toISODate() ?? '' };
  else if (q.date?.kind === 'range')
    date = {
      kind: 'range',
      which: q.date.which,
      from: q.date.from.toISODate() ?? '',
      to: q.date.to.toISODate() ?? '',
    };
  else if (q.date) date = { kind: q.date.kind };
  return {
    focus: q.focus,
    nextOnly: q.nextOnly,
    zone,
    ...(date ? { date } : {}),
    ...(q.named ? { named: q.named.sessions.map((s) => `${s.courseId}/${s.id}`) } : {}),
  };
}

/** The stored question back as the schedule engine takes it; sessions no longer in a timetable drop out. */
export function fromQueryRef(ref: ScheduleQueryRef, schedules: ScheduleService): ScheduleQuestion {
  const day = (iso: string): DateTime => DateTime.fromISO(iso, { zone: ref.zone }).startOf('day');
  let date: DateExpr | undefined;
  const d = ref.date;
  if (d?.kind === 'day') date = { kind: 'day', date: day(d.day) };
  else if (d?.kind === 'range') date = { kind: 'range', which: d.which, from: day(d.from), to: day(d.to) };
  else if (d) date = { kind: d.kind };
  const q: ScheduleQuestion = { focus: ref.focus, nextOnly: ref.nextOnly, ...(date ? { date } : {}) };
  if (ref.named) {
    const sessions = ref.named.flatMap((id) => {
      const s = sessionById(schedules, id);
      return s ? [s] : [];
    });
    q.named = { sessions, score: 1, strong: true, words: 1 };
  }
  return q;
}

export function sessionById(schedules: ScheduleService, id: string) {
  const at = id.indexOf('/');
  const course = schedules.course(id.slice(0, at));
  return course?.sessions.find((s) => s.id === id.slice(at + 1));
}

export class ConversationMemory {
  private readonly schedule = new WeakMap<Turn, ScheduleQueryRef>();
  private readonly question = new WeakMap<Turn, string>();
  /** The context as read once per turn: the handlers and `record` share one store read. */
  private readonly read = new WeakMap<Turn, Promise<ConversationContext | undefined>>();
  /** The context and open hand-off read together (`openHandoff`), once per turn. */
  private readonly readWithHandoff = new WeakMap<Turn, Promise<TurnRead>>();

  constructor(
    private readonly repo: ContextRepo,
    private readonly logger: Logger,
    private readonly defaultZone: () => string,
  ) {}

  /** The user's fresh context (less than 30 minutes old), if any. */
  get(turn: Turn): Promise<ConversationContext | undefined> {
    let context = this.read.get(turn);
    if (!context) {
      const both = this.readWithHandoff.get(turn);
      context = both ? both.then((r) => r.context) : this.repo.get(turn.userKey, turn.now);
      this.read.set(turn, context);
    }
    return context;
  }

  /**
   * The user's open hand-off as the store has it at this turn (the hand-off handler asks on every
   * direct message), read in the same statement as the context, which `get` and `record` then use.
   * Not updated by what the turn itself writes: ask the store after opening or closing one.
   */
  async openHandoff(turn: Turn): Promise<Handoff | undefined> {
    let both = this.readWithHandoff.get(turn);
    if (!both) {
      both = this.repo.getWithHandoff(turn.userKey, turn.now);
      this.readWithHandoff.set(turn, both);
      // A context read already started for this turn stays the one `get` gives.
      if (!this.read.has(turn)) {
        const context = both.then((r) => r.context);
        // A failed read fails the turn here; nothing else may be left waiting on it unhandled.
        context.catch(() => undefined);
        this.read.set(turn, context);
      }
    }
    return (await both).handoff;
  }

  /** The schedule question this turn answered (the schedule handler reports it). */
  noteSchedule(turn: Turn, q: ScheduleQuestion): void {
    this.schedule.set(turn, toQueryRef(q, this.defaultZone()));
  }

  /** A follow-up's answer is still about the question asked before it. */
  noteQuestion(turn: Turn, question: string): void {
    this.question.set(turn, question);
  }

  /** Stores the turn; failures are logged, never passed to the user. */
  async record(turn: Turn, reply: Reply): Promise<void> {
    try {
      const before = (await this.get(turn)) ?? { turns: [] };
      const at = turn.now.toISOString();
      // Stored redacted like unanswered questions: the context outlives the turn (up to a day).
      const said = redactPersonalData(turn.msg.action?.type === 'say' ? turn.msg.action.text : turn.text);
      const turns = [...before.turns];
      if (said) turns.push({ from: 'user', text: said.slice(0, TURN_CHARS), at });
      const answer = [reply.title, reply.text].filter(Boolean).join('\n');
      turns.push({ from: 'bot', text: answer.slice(0, TURN_CHARS), at });
      const next: ConversationContext = { ...before, turns };
      if (reply.intent === 'faq' || reply.intent === 'schedule') {
        const schedule = reply.intent === 'schedule' ? this.schedule.get(turn) : undefined;
        const last: LastAnswer = {
          intent: reply.intent,
          at,
          lang: reply.lang,
          question: redactPersonalData(this.question.get(turn) ?? said),
          ...(reply.entryId ? { entryId: reply.entryId } : {}),
          suggestions: reply.suggestions.map((s) => s.entryId),
          sessions: (reply.sessions ?? []).map((s) => `${s.courseId}/${s.sessionId}`),
          ...(schedule ? { schedule } : {}),
        };
        next.last = last;
      }
      await this.repo.put(turn.userKey, next, turn.now);
    } catch (err) {
      this.logger.warn({ err }, 'could not keep the conversation context');
    }
  }
}
