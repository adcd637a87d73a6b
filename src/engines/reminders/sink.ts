/**
 * The seam between reminder planning and delivery. The scheduler hands over what to send and when;
 * a sink (the announcements outbox in the bot, `MemoryReminderSink` in tests) keeps it and sends it
 * when due. Keys are stable: scheduling a key again replaces it (a moved reminder), cancelling a key
 * that is not there does nothing.
 */
import type { Lang } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';

/** A channel ("slack:C0123", as in KOBAN_CHANNEL_COURSES) or one user's direct messages. */
export type ReminderTarget = { channel: string } | { user: string; lang: Lang };

export interface ReminderItem {
  /** `reminder:…` (timetable), `change:…` (change notice) or `personal:…`. */
  key: string;
  /** When to send; a time already past means now. */
  at: Date;
  targets: ReminderTarget[];
  /** The text per language: a channel gets its readers' languages, a user their own. */
  replies: Partial<Record<Lang, Reply>>;
  origin: 'timetable' | 'change' | 'personal';
}

export interface ReminderSink {
  /** Adds or replaces (by key) items to send at their time. */
  schedule(items: readonly ReminderItem[]): Promise<void>;
  /** Withdraws items not sent yet. */
  cancel(keys: readonly string[]): Promise<void>;
  /**
   * Keys of items not sent yet (optional): lets the first planning after a restart cancel what
   * the timetable no longer has.
   */
  pendingKeys?(): Promise<string[]>;
}

/** Keeps items in memory; `take(now)` hands out what is due, once. For tests and the console. */
export class MemoryReminderSink implements ReminderSink {
  private readonly items = new Map<string, ReminderItem>();

  async schedule(items: readonly ReminderItem[]): Promise<void> {
    for (const item of items) this.items.set(item.key, item);
  }

  async cancel(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }

  async pendingKeys(): Promise<string[]> {
    return [...this.items.keys()];
  }

  /** Everything waiting, by time. */
  pending(): ReminderItem[] {
    return [...this.items.values()].sort(
      (a, b) => a.at.getTime() - b.at.getTime() || a.key.localeCompare(b.key),
    );
  }

  get(key: string): ReminderItem | undefined {
    return this.items.get(key);
  }

  /** Removes and returns the items due at `now`. */
  take(now: Date): ReminderItem[] {
    const due = this.pending().filter((i) => i.at.getTime() <= now.getTime());
    for (const item of due) this.items.delete(item.key);
    return due;
  }
}
