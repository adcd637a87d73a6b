/**
 * Keeps the sink's reminders in step with the timetables: plans every reminder at start, plans again
 * after each schedule reload (moved reminders replace theirs by key, vanished ones are cancelled),
 * sends a change notice to the course's channels (and to trainees with a personal reminder for that
 * session) when a session still to come moves or is removed, and schedules personal reminders as
 * they are asked for. Knows no platform: targets are "platform:channel" strings and user keys.
 */
import { LANGUAGES, type Lang } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { PersonalReminder, PersonalReminderRepo } from '../../stores/reminders.js';
import { noticeReply } from '../announcements/notices.js';
import type { Course } from '../schedule/course-file.js';
import type { ScheduleService } from '../schedule/schedule-service.js';
import { changeKey, changeNotice, type SessionChange, sessionChanges } from './changes.js';
import { type PlannedReminder, planReminders } from './plan.js';
import { reminderReply } from './render.js';
import type { ReminderSettings } from './settings.js';
import type { ReminderItem, ReminderSink, ReminderTarget } from './sink.js';

export interface ReminderSchedulerDeps {
  sink: ReminderSink;
  clock: () => Date;
  schedules: ScheduleService;
  i18n: I18nService;
  /** "platform:channelId" → course id (KOBAN_CHANNEL_COURSES). */
  channelCourses: ReadonlyMap<string, string>;
  /** center.yaml's `reminders:` block, read at each planning (it reloads with the knowledge). */
  centerSettings: () => ReminderSettings | undefined;
  personal?: PersonalReminderRepo;
  logger: Logger;
}

/** Keys the scheduler owns in the sink (change notices are sent at once and never re-planned). */
const PLANNED = /^(reminder|personal):/;

function everyLanguage(render: (lang: Lang) => Reply): Partial<Record<Lang, Reply>> {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, render(lang)]));
}

export class ReminderScheduler {
  /** Keys handed to the sink by the last planning. */
  private planned = new Set<string>();
  private stopListening: (() => void) | undefined;
  private work: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReminderSchedulerDeps) {}

  /** Plans now and after every schedule reload. */
  async start(): Promise<void> {
    this.stopListening = this.deps.schedules.onReload((before, after) => {
      void this.run(() => this.reloaded(before, after));
    });
    await this.run(() => this.replan());
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  /** Resolves when the plannings started so far are done. */
  idle(): Promise<void> {
    return this.work.then(() => undefined);
  }

  /** One planning at a time, in order; a failure is logged and the next one still runs. */
  private run<T>(task: () => Promise<T>): Promise<T | undefined> {
    const next = this.work.then(task).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'reminder planning failed; the next schedule reload tries again');
      return undefined;
    });
    this.work = next;
    return next;
  }

  private channelsOf(courseId: string): ReminderTarget[] {
    const out: ReminderTarget[] = [];
    for (const [channel, id] of this.deps.channelCourses) if (id === courseId) out.push({ channel });
    return out;
  }

  private timetableItem(r: PlannedReminder): ReminderItem | undefined {
    const targets = this.channelsOf(r.course.id);
    if (targets.length === 0) return undefined;
    const { i18n } = this.deps;
    return {
      key: r.key,
      at: r.at.toJSDate(),
      targets,
      replies: everyLanguage((lang) =>
        reminderReply(r.session, r.course.timezone, r.offsetMinutes, lang, i18n),
      ),
      origin: 'timetable',
    };
  }

  private personalItem(p: PersonalReminder, courses: readonly Course[], now: Date): ReminderItem | undefined {
    const course = courses.find((c) => c.id === p.courseId);
    const session = course?.sessions.find((s) => s.id === p.sessionId);
    if (!course || !session) return undefined;
    const at = session.start.minus({ minutes: p.offsetMinutes });
    if (at.toMillis() <= now.getTime()) return undefined;
    return {
      key: `personal:${p.id}`,
      at: at.toJSDate(),
      targets: [{ user: p.userKey, lang: p.lang }],
      replies: {
        [p.lang]: reminderReply(session, course.timezone, p.offsetMinutes, p.lang, this.deps.i18n, true),
      },
      origin: 'personal',
    };
  }

  /** Every reminder due after now, from the timetables and the stored personal reminders. */
  private async items(now: Date): Promise<ReminderItem[]> {
    const courses = this.deps.schedules.courses;
    const items: ReminderItem[] = [];
    for (const r of planReminders(courses, this.deps.centerSettings(), now)) {
      const item = this.timetableItem(r);
      if (item) items.push(item);
    }
    for (const p of (await this.deps.personal?.all()) ?? []) {
      const item = this.personalItem(p, courses, now);
      if (item) items.push(item);
    }
    return items;
  }

  /**
   * Plans everything again: schedules each item (the sink replaces items by key, so this is
   * idempotent) and cancels the keys of the last planning that are gone. On the first planning it
   * also cancels what the sink still holds from before a restart, when the sink can list it.
   */
  async replan(): Promise<{ scheduled: ReminderItem[]; cancelled: string[] }> {
    const now = this.deps.clock();
    const items = await this.items(now);
    const keys = new Set(items.map((i) => i.key));
    const previous = new Set(this.planned);
    if (previous.size === 0 && this.deps.sink.pendingKeys) {
      for (const key of await this.deps.sink.pendingKeys()) if (PLANNED.test(key)) previous.add(key);
    }
    const cancelled = [...previous].filter((k) => !keys.has(k));
    if (cancelled.length > 0) await this.deps.sink.cancel(cancelled);
    await this.deps.sink.schedule(items);
    this.planned = keys;
    this.deps.logger.debug({ scheduled: items.length, cancelled: cancelled.length }, 'reminders planned');
    return { scheduled: items, cancelled };
  }

  private async changeItem(change: SessionChange, now: Date): Promise<ReminderItem | undefined> {
    const notice = changeNotice(change);
    const targets = this.channelsOf(change.course.id);
    for (const p of (await this.deps.personal?.all()) ?? []) {
      if (p.courseId === change.course.id && p.sessionId === change.before.id)
        targets.push({ user: p.userKey, lang: p.lang });
    }
    if (targets.length === 0) return undefined;
    return {
      key: changeKey(change),
      at: now,
      targets,
      replies: everyLanguage((lang) => noticeReply(notice, lang, this.deps.i18n)),
      origin: 'change',
    };
  }

  /** After a reload: re-plan, then tell the courses what moved or was removed. */
  async reloaded(before: readonly Course[], after: readonly Course[]): Promise<{ changes: ReminderItem[] }> {
    const now = this.deps.clock();
    await this.replan();
    const changes: ReminderItem[] = [];
    for (const change of sessionChanges(before, after, now)) {
      const item = await this.changeItem(change, now);
      if (item) changes.push(item);
    }
    if (changes.length > 0) {
      await this.deps.sink.schedule(changes);
      this.deps.logger.info({ notices: changes.map((c) => c.key) }, 'timetable changes announced');
    }
    return { changes };
  }

  /** Schedules one personal reminder just stored. */
  async addPersonal(reminder: PersonalReminder): Promise<void> {
    await this.run(async () => {
      const item = this.personalItem(reminder, this.deps.schedules.courses, this.deps.clock());
      if (!item) return;
      await this.deps.sink.schedule([item]);
      this.planned.add(item.key);
    });
  }
}
