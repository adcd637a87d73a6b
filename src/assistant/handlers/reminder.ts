/**
 * Personal reminders: "remind me 30 minutes before the DNA lecture", "DNA講義の1時間前にリマインドして".
 * The phrasings are knowledge (`knowledge/intents/reminders.yaml`); the session is found by the
 * schedule engine's session matcher; the reminder is stored per user and sent later by direct
 * message through the reminder scheduler (`onAdded`).
 */
import type { Reply } from '../../core/reply.js';
import { durationText, NoticeClock } from '../../engines/announcements/notices.js';
import type { ReminderPhrases } from '../../engines/reminders/phrases.js';
import { localized, type Session } from '../../engines/schedule/course-file.js';
import type { ScheduleService } from '../../engines/schedule/schedule-service.js';
import type { SessionMatch } from '../../engines/schedule/session-matcher.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { PersonalReminder, PersonalReminderRepo } from '../../stores/reminders.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

export interface ReminderHandlerDeps {
  schedules: ScheduleService;
  reminders: PersonalReminderRepo;
  phrases: () => ReminderPhrases;
  i18n: I18nService;
  logger: Logger;
  /** Told of each stored reminder (the scheduler hands it to the outbox). */
  onAdded?: (reminder: PersonalReminder) => void | Promise<void>;
}

/** Most sessions listed when a name matches several. */
const MAX_LISTED = 5;

export function reminderHandler(deps: ReminderHandlerDeps) {
  const reply = (turn: Turn, text: string): Reply => makeReply({ intent: 'reminder', lang: turn.lang, text });

  const when = (turn: Turn, s: Session) => {
    const zone = deps.schedules.course(s.courseId)?.timezone ?? 'UTC';
    const c = new NoticeClock(turn.lang, zone);
    return { session: localized(s.title, turn.lang), date: c.date(s.start), time: c.time(s.start) };
  };

  const analysed = new WeakMap<Turn, { minutes: number | undefined; timed: boolean; match: SessionMatch }>();
  const analyse = (turn: Turn) => {
    let a = analysed.get(turn);
    if (!a) {
      const { minutes, rest, timed } = deps.phrases().parse(turn.text);
      const mine = turn.prefs.course ? deps.schedules.course(turn.prefs.course) : undefined;
      const match = deps.schedules.index.match(rest, turn.lang, mine ? new Set([mine.id]) : undefined);
      a = { minutes, timed, match };
      analysed.set(turn, a);
    }
    return a;
  };

  return {
    intent: 'reminder',
    /** Asking words and a session name or a time before ("remind me 30 minutes before …"). */
    match(turn: Turn): boolean {
      if (turn.msg.action || !deps.phrases().asks(turn.text)) return false;
      const a = analyse(turn);
      return a.timed || a.match.sessions.length > 0;
    },
    async handle(turn: Turn): Promise<Reply> {
      const t = deps.i18n.t(turn.lang, 'notices');
      const { minutes, match } = analyse(turn);
      if (match.sessions.length === 0 || minutes === undefined) return reply(turn, t('personal.which'));
      const now = turn.now.getTime();
      const ahead = match.sessions.filter((s) => s.start.toMillis() > now);
      // Several different sessions by that name: ask which (the same title repeated means the next one).
      const titles = new Set(ahead.map((s) => `${s.courseId} ${s.title.en}`));
      if (titles.size > 1 && !match.strong) {
        const lines = ahead.slice(0, MAX_LISTED).map((s) => {
          const w = when(turn, s);
          return `• **${w.session}** (${w.date}, ${w.time})`;
        });
        return reply(turn, [t('personal.ambiguous'), ...lines].join('\n'));
      }
      const before = durationText(minutes, turn.lang);
      const session = ahead.find((s) => s.start.toMillis() - minutes * 60_000 > now);
      if (!session) {
        const last = ahead[0] ?? match.sessions[match.sessions.length - 1];
        return reply(
          turn,
          last ? t('personal.tooLate', { ...when(turn, last), before }) : t('personal.which'),
        );
      }
      const stored = await deps.reminders.add({
        userKey: turn.userKey,
        courseId: session.courseId,
        sessionId: session.id,
        offsetMinutes: minutes,
        lang: turn.lang,
      });
      try {
        await deps.onAdded?.(stored);
      } catch (err) {
        // Stored: the scheduler plans it again at the next start or schedule reload.
        deps.logger.error({ err, reminder: stored.id }, 'could not schedule a personal reminder now');
      }
      return reply(turn, t('personal.confirm', { ...when(turn, session), before }));
    },
  } satisfies IntentHandler;
}
