/**
 * Reminders delivered through the announcements outbox: one outbox row per (item key, target), so
 * they survive restarts, are sent exactly once by the worker (on SQLite or PostgreSQL) and are
 * retried like announcements. A channel target gets the versions for its reader languages
 * (KOBAN_CHANNEL_LANGUAGES), a user target a DM in their language.
 *
 * - `schedule` upserts: a pending (or cancelled) row takes the new time and text (a pending row with
 *   the same time, languages and text is left alone, its retries included); a sent row of a
 *   timetable or personal reminder whose time moved goes out again (a new reminder for the new
 *   time); a change notice already sent is never sent again.
 * - `cancel` cancels the rows not sent yet; `pendingKeys` lists the keys with rows not sent yet.
 */
import { createHash } from 'node:crypto';
import { isLang, type Lang } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import type { ChannelDirectory } from '../announcements/channels.js';
import {
  type OutboxDb,
  type OutboxKind,
  type OutboxPayload,
  outboxPayloadSchema,
} from '../announcements/outbox.js';
import { formatTarget, parseTarget, type TargetRef } from '../announcements/target.js';
import type { ReminderItem, ReminderSink, ReminderTarget } from './sink.js';

/** The short reference a reminder's message shows and the worker searches for after a crash. */
export function reminderMarker(key: string): string {
  return `R-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

function kindOf(item: ReminderItem): OutboxKind {
  return item.origin === 'change' ? 'notice' : 'reminder';
}

/** A Reply as an outbox version: its title and its text with its notes. */
function version(reply: Reply): { title?: string; text: string } {
  const text = [reply.text, ...reply.notes].filter((s) => s.trim() !== '').join('\n');
  return {
    ...(reply.title ? { title: reply.title.slice(0, 200) } : {}),
    text: (text || '…').slice(0, 3500),
  };
}

/**
 * Whether a pending row due at `dueAt` already stands for an item at `at`: the same instant, or
 * both already past (the row is due and waiting, perhaps for a retry; it was not planned before
 * the item's time).
 */
function sameTime(dueAt: string, at: Date, now: Date): boolean {
  const due = new Date(dueAt).getTime();
  if (due === at.getTime()) return true;
  return at.getTime() <= now.getTime() && due >= at.getTime() && due <= now.getTime();
}

export class OutboxReminderSink implements ReminderSink {
  constructor(
    private readonly deps: {
      store: OutboxDb;
      channels: ChannelDirectory;
      clock: () => Date;
    },
  ) {}

  private resolve(target: ReminderTarget): { ref: TargetRef; langs: Lang[] } | undefined {
    if ('channel' in target) {
      const ref = parseTarget(target.channel);
      if (ref?.kind !== 'channel') return undefined;
      return { ref, langs: this.deps.channels.languagesOf(ref) };
    }
    // A user key is "platform:userId"; their DM goes in their language.
    const ref = parseTarget(target.user);
    if (ref?.kind !== 'channel') return undefined;
    return { ref: { ...ref, kind: 'dm' }, langs: [target.lang] };
  }

  private payload(item: ReminderItem, langs: readonly Lang[]): OutboxPayload | undefined {
    const versions: OutboxPayload['versions'] = {};
    for (const [lang, reply] of Object.entries(item.replies)) {
      if (isLang(lang) && reply) versions[lang] = version(reply);
    }
    const original = [...langs, 'en' as const].find((l) => versions[l]) ?? Object.keys(versions).find(isLang);
    if (!original) return undefined;
    return outboxPayloadSchema.parse({ original, versions, marker: reminderMarker(item.key) });
  }

  async schedule(items: readonly ReminderItem[]): Promise<void> {
    const now = this.deps.clock();
    for (const item of items) await this.scheduleOne(item, now);
  }

  private async scheduleOne(item: ReminderItem, now: Date): Promise<void> {
    const { db } = this.deps.store;
    const due = new Date(Math.max(item.at.getTime(), now.getTime())).toISOString();
    const at = now.toISOString();
    const wanted = new Set<string>();
    for (const target of item.targets) {
      const resolved = this.resolve(target);
      if (!resolved) continue;
      const payload = this.payload(item, resolved.langs);
      if (!payload) continue;
      const key = formatTarget(resolved.ref);
      wanted.add(key);
      const json = JSON.stringify(payload);
      const lang = JSON.stringify(resolved.langs);
      const row = await db
        .selectFrom('outbox')
        .select(['id', 'state', 'due_at', 'lang', 'payload'])
        .where('ref_id', '=', item.key)
        .where('target', '=', key)
        .executeTakeFirst();
      if (!row) {
        await db
          .insertInto('outbox')
          .values({
            kind: kindOf(item),
            ref_id: item.key,
            platform: resolved.ref.platform,
            target: key,
            lang,
            due_at: due,
            payload: json,
            state: 'pending',
            next_attempt_at: due,
            created_at: at,
            updated_at: at,
          })
          .onConflict((oc) => oc.columns(['ref_id', 'target']).doNothing())
          .execute();
        continue;
      }
      // Pending or cancelled: moved or revived. Sent or failed: a change notice is told once; a
      // reminder goes out again (as a new message) only for a new time.
      // Unchanged and still waiting (a re-plan at start-up or after a reload): left as it is, so a
      // delivery in back-off keeps its attempts and next try.
      if (
        row.state === 'pending' &&
        row.lang === lang &&
        row.payload === json &&
        sameTime(row.due_at, item.at, now)
      )
        continue;
      const resend = row.state !== 'pending' && row.state !== 'cancelled';
      if (resend) {
        if (item.origin === 'change' || new Date(row.due_at).getTime() === new Date(due).getTime()) continue;
        if (item.at.getTime() <= now.getTime()) continue;
      }
      // The new time and text, a fresh count of attempts.
      await db
        .updateTable('outbox')
        .set({
          state: 'pending',
          lang,
          due_at: due,
          next_attempt_at: due,
          payload: json,
          attempts: 0,
          error: null,
          updated_at: at,
          ...(resend ? { dirty: 0, channel_id: null, message_id: null } : {}),
        })
        .where('id', '=', row.id)
        .where('state', '=', row.state)
        .execute();
    }
    // Targets the item no longer has (a channel unlinked from the course): not sent any more.
    let stale = db
      .updateTable('outbox')
      .set({ state: 'cancelled', updated_at: at })
      .where('ref_id', '=', item.key)
      .where('state', '=', 'pending');
    if (wanted.size > 0) stale = stale.where('target', 'not in', [...wanted]);
    await stale.execute();
  }

  async cancel(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.deps.store.db
      .updateTable('outbox')
      .set({ state: 'cancelled', updated_at: this.deps.clock().toISOString() })
      .where('ref_id', 'in', [...keys])
      .where('state', '=', 'pending')
      .execute();
  }

  async pendingKeys(): Promise<string[]> {
    const rows = await this.deps.store.db
      .selectFrom('outbox')
      .select('ref_id')
      .distinct()
      .where('kind', 'in', ['reminder', 'notice'])
      .where('state', '=', 'pending')
      .orderBy('ref_id')
      .execute();
    return rows.map((r) => r.ref_id);
  }
}
