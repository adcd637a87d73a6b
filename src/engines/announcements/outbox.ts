/**
 * The persistent outbox: one row per (announcement or reminder, target), delivered by a worker that
 * claims due rows with ONE statement (`update … where id in (select … limit n [for update skip
 * locked]) returning …`), so it runs unchanged on SQLite and on PostgreSQL with several workers.
 *
 * - A claim is a lease (`claim_token`, `lease_until`); a row claimed but never finished (a crash)
 *   becomes claimable again when its lease expires.
 * - Before posting a row on a second or later attempt, the worker asks the platform whether the
 *   message is already there (the channel's recent history, searched for the row's marker, its
 *   `refId`), so a crash between sending and recording never posts twice.
 * - Failures wait the platform's Retry-After / retry_after or an exponential backoff, whichever is
 *   longer; after `maxAttempts` (or a permanent refusal) the row ends `failed` with the reason.
 * - A correction or withdrawal changes the payload and marks sent rows `dirty`: the worker edits
 *   every posted copy.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { AUTONYMS, LANGUAGES, type Lang, RTL_LANGS } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import { DeliveryError, type SenderRegistry } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import { claimSuffix, type DialectName } from '../../stores/db.js';
import type { Database, OutboxTable } from '../../stores/schema.js';
import { formatTarget, parseTarget, type TargetRef } from './target.js';

export { formatTarget, parseTarget, type TargetRef };

/** The database the outbox works on (the store offers both). */
export interface OutboxDb {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
}

export type OutboxKind = 'announcement' | 'reminder' | 'notice';

const langSchema = z.enum(LANGUAGES);
const versionSchema = z.object({ title: z.string().max(200).optional(), text: z.string().min(1).max(3500) });

/**
 * What a row carries, the same for every target: the message in one or more languages. Each target
 * gets the versions of its reader languages (first first); a reader language without a version
 * gets the original with a one-line note in that language.
 */
export const outboxPayloadSchema = z.object({
  /** The language the author wrote in. */
  original: langSchema,
  versions: z.partialRecord(langSchema, versionSchema),
  /** Show the "OK, got it" button (announcements). */
  confirm: z.boolean().optional(),
  /** A correction or withdrawal: a localized heading goes above the text. */
  revision: z.enum(['corrected', 'withdrawn']).optional(),
  /**
   * The short reference shown and searched for instead of the row's `refId` (reminders and change
   * notices, whose keys are long): written "Ref. R-1a2b3c4d" rather than "Announcement A-17".
   */
  marker: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/)
    .optional(),
});
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;

export interface OutboxItem {
  kind: OutboxKind;
  /** What the row belongs to ("A-17", a reminder id): also the marker shown in the message. */
  refId: string;
  target: TargetRef;
  /** Reader languages of the target, first first. */
  lang: Lang[];
  /** ISO-8601; the row is sent at or after this instant. */
  dueAt: string;
  payload: OutboxPayload;
}

export type OutboxState = 'pending' | 'sent' | 'failed' | 'cancelled';

/** One row as `status` shows it. */
export interface OutboxEntry {
  id: number;
  kind: string;
  refId: string;
  target: string;
  lang: Lang[];
  dueAt: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  messageId?: string;
  error?: string;
}

type Row = Selectable<OutboxTable>;

const langList = z.array(langSchema);

function parseLangs(json: string): Lang[] {
  try {
    const parsed = langList.safeParse(JSON.parse(json));
    return parsed.success && parsed.data.length > 0 ? parsed.data : ['en'];
  } catch {
    return ['en'];
  }
}

function toState(s: string): OutboxState {
  return s === 'sent' || s === 'failed' || s === 'cancelled' ? s : 'pending';
}

function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id,
    kind: r.kind,
    refId: r.ref_id,
    target: r.target,
    lang: parseLangs(r.lang),
    dueAt: r.due_at,
    state: toState(r.state),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    ...(r.message_id !== null ? { messageId: r.message_id } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
  };
}

function iso(s: string | Date): string {
  return new Date(s).toISOString();
}

/** Adds rows (one per item); a (refId, target) pair already queued is left as it is. Returns how many were added. */
export async function enqueue(
  store: OutboxDb,
  items: readonly OutboxItem[],
  now = new Date(),
): Promise<number> {
  let added = 0;
  for (const item of items) {
    const payload = outboxPayloadSchema.parse(item.payload);
    const due = iso(item.dueAt);
    const result = await store.db
      .insertInto('outbox')
      .values({
        kind: item.kind,
        ref_id: item.refId,
        platform: item.target.platform,
        target: formatTarget(item.target),
        lang: JSON.stringify(item.lang),
        due_at: due,
        payload: JSON.stringify(payload),
        state: 'pending',
        next_attempt_at: due,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['ref_id', 'target']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

/** Cancels the rows of `refId` not sent yet; returns how many. */
export async function cancel(store: OutboxDb, refId: string, now = new Date()): Promise<number> {
  const result = await store.db
    .updateTable('outbox')
    .set({ state: 'cancelled', updated_at: now.toISOString() })
    .where('ref_id', '=', refId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Replaces the payload of every row of `refId`: rows not sent yet go out with it, sent rows are
 * edited on their platform (corrections, withdrawals). Returns how many sent copies will be edited.
 */
export async function revise(
  store: OutboxDb,
  refId: string,
  payload: OutboxPayload,
  now = new Date(),
): Promise<number> {
  const json = JSON.stringify(outboxPayloadSchema.parse(payload));
  const at = now.toISOString();
  await store.db
    .updateTable('outbox')
    .set({ payload: json, updated_at: at })
    .where('ref_id', '=', refId)
    .where('state', '=', 'pending')
    .execute();
  const edited = await store.db
    .updateTable('outbox')
    .set({ payload: json, dirty: 1, attempts: 0, next_attempt_at: at, error: null, updated_at: at })
    .where('ref_id', '=', refId)
    .where('state', '=', 'sent')
    .executeTakeFirst();
  return Number(edited.numUpdatedRows);
}

/** Every row of `refId`, in target order. */
export async function entries(store: OutboxDb, refId: string): Promise<OutboxEntry[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .selectAll()
    .where('ref_id', '=', refId)
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}

/** The target of `refId` posted in `channelId` (a channel or a DM), to credit a click on its button. */
export async function targetIn(
  store: OutboxDb,
  refId: string,
  platform: string,
  channelId: string,
): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('outbox')
    .select('target')
    .where('ref_id', '=', refId)
    .where('platform', '=', platform)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row?.target;
}

/**
 * Claims up to `limit` due rows for `platforms` in one statement and returns them. Due: not
 * leased (or the lease expired), its next attempt reached, and either pending and due, or sent
 * and dirty.
 */
export async function claim(
  store: OutboxDb,
  options: { now: Date; limit: number; leaseMs: number; platforms: readonly string[]; token?: string },
): Promise<Row[]> {
  if (options.platforms.length === 0) return [];
  const now = options.now.toISOString();
  const lease = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const token = options.token ?? randomUUID();
  const result = await sql<Row>`
    update outbox
       set claim_token = ${token}, lease_until = ${lease}, attempts = attempts + 1, updated_at = ${now}
     where id in (
       select id from outbox
        where (lease_until is null or lease_until <= ${now})
          and next_attempt_at <= ${now}
          and platform in (${sql.join(options.platforms)})
          and ((state = 'pending' and due_at <= ${now}) or (state = 'sent' and dirty = 1))
        order by next_attempt_at, id
        limit ${options.limit}
        ${claimSuffix(store.dialect)}
     )
    returning *`.execute(store.db);
  return result.rows;
}

export interface OutboxWorkerOptions {
  store: OutboxDb;
  senders: SenderRegistry;
  i18n: I18nService;
  logger: Logger;
  clock?: () => Date;
  /** Rows per claim (default 20). */
  batch?: number;
  /** How long a claim holds (default two minutes): longer than any one send. */
  leaseMs?: number;
  /** How often the running worker looks for due rows (default 5 s). */
  pollMs?: number;
  /** Attempts before a row ends `failed` (default 6). */
  maxAttempts?: number;
  /** First retry delay, doubled on each attempt (default 5 s), up to `maxBackoffMs` (default 10 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Told once when a row ends `failed` (the announcement service tells the coordinator). */
  onFailed?: (entry: OutboxEntry) => Promise<void>;
}

function reasonOf(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError(err instanceof Error ? err.message : String(err));
}

/** Claims due rows and delivers them through the running adapters' senders. */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly clock: () => Date;
  private readonly token = randomUUID();

  constructor(private readonly options: OutboxWorkerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Polls every `pollMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 5000);
    this.timer.unref();
    void this.tick();
  }

  /** Stops polling and waits for the batch in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      await this.runOnce(this.clock());
    } catch (err) {
      this.options.logger.error({ err }, 'outbox: a delivery round failed; trying again at the next poll');
    }
  }

  /** Claims and delivers the rows due at `now`; returns how many it handled. */
  async runOnce(now: Date): Promise<number> {
    const run = this.deliverDue(now);
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  private async deliverDue(now: Date): Promise<number> {
    const leaseMs = this.options.leaseMs ?? 120_000;
    const claimedAt = performance.now();
    const rows = await claim(this.options.store, {
      now,
      limit: this.options.batch ?? 20,
      leaseMs,
      platforms: this.options.senders.platforms(),
      token: this.token,
    });
    for (const [i, row] of rows.entries()) {
      // A slow batch must not outlive its lease: past half of it, another worker could claim the
      // rest and post at the same moment. Hand the rest back for the next round instead.
      if (i > 0 && performance.now() - claimedAt > leaseMs / 2) {
        await this.release(rows.slice(i));
        return i;
      }
      await this.deliver(row, now);
    }
    return rows.length;
  }

  /** Gives claimed, untouched rows back (only while this claim still holds them). */
  private async release(rows: readonly Row[]): Promise<void> {
    await this.options.store.db
      .updateTable('outbox')
      .set({ claim_token: null, lease_until: null, attempts: sql<number>`attempts - 1` })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where('claim_token', '=', this.token)
      .execute();
    this.options.logger.info(
      { count: rows.length },
      'outbox: batch took half its lease; handing the rest back',
    );
  }

  private async deliver(row: Row, now: Date): Promise<void> {
    const sender = this.options.senders.get(row.platform);
    const target = parseTarget(row.target);
    const log = this.options.logger.child({ component: 'outbox', ref: row.ref_id, target: row.target });
    try {
      if (!sender || !target) throw new DeliveryError(`no sender for ${row.target}`);
      const payload = outboxPayloadSchema.parse(JSON.parse(row.payload));
      const reply = composeReply(payload, parseLangs(row.lang), row.ref_id, this.options.i18n);
      const channel =
        row.channel_id ?? (target.kind === 'dm' ? await sender.dmChannel(target.id) : target.id);
      let messageId = row.message_id ?? undefined;
      if (row.state === 'sent' && messageId) {
        await sender.update(channel, messageId, reply);
        log.info('outbox: edited a sent copy');
      } else {
        // A second attempt may follow a crash after the platform took the message: look first.
        if (!messageId && row.attempts > 1)
          messageId = await sender.findMarker(channel, payload.marker ?? row.ref_id);
        if (messageId) log.info({ messageId }, 'outbox: already on the platform; recording it');
        else messageId = await sender.publish(channel, reply);
      }
      await this.finish(row, { channel, messageId, now });
    } catch (err) {
      await this.failed(row, reasonOf(err), now, log);
    }
  }

  /** Records the delivery; the row stays dirty when the payload changed meanwhile. */
  private async finish(row: Row, done: { channel: string; messageId: string; now: Date }): Promise<void> {
    await this.options.store.db
      .updateTable('outbox')
      .set({
        state: 'sent',
        channel_id: done.channel,
        message_id: done.messageId,
        dirty: sql<number>`case when payload = ${row.payload} then 0 else 1 end`,
        attempts: sql<number>`case when payload = ${row.payload} then attempts else 0 end`,
        error: null,
        claim_token: null,
        lease_until: null,
        updated_at: done.now.toISOString(),
      })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }

  private async failed(row: Row, err: DeliveryError, now: Date, log: Logger): Promise<void> {
    const max = this.options.maxAttempts ?? 6;
    const base = this.options.backoffMs ?? 5000;
    const cap = this.options.maxBackoffMs ?? 600_000;
    const at = now.toISOString();
    if (err.permanent || row.attempts >= max) {
      log.error({ reason: err.message, attempts: row.attempts }, 'outbox: giving up on a target');
      const result = await this.options.store.db
        .updateTable('outbox')
        .set({
          state: 'failed',
          dirty: 0,
          error: err.message,
          claim_token: null,
          lease_until: null,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .where('claim_token', '=', row.claim_token)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0 && this.options.onFailed) {
        const entry = toEntry({ ...row, state: 'failed', error: err.message });
        await this.options.onFailed(entry).catch((e: unknown) => {
          log.warn({ err: e }, 'outbox: could not tell the coordinator about a failed target');
        });
      }
      return;
    }
    const backoff = Math.min(cap, base * 2 ** Math.max(0, row.attempts - 1));
    const wait = Math.max(backoff, (err.retryAfterSeconds ?? 0) * 1000);
    log.warn(
      { reason: err.message, attempts: row.attempts, retryInMs: wait },
      'outbox: delivery failed; trying again later',
    );
    await this.options.store.db
      .updateTable('outbox')
      .set({
        next_attempt_at: new Date(now.getTime() + wait).toISOString(),
        error: err.message,
        claim_token: null,
        lease_until: null,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('claim_token', '=', row.claim_token)
      .execute();
  }
}

/** The one message a target gets: its languages' versions, first first, and the marker line. */
export function composeReply(
  payload: OutboxPayload,
  langs: readonly Lang[],
  refId: string,
  i18n: I18nService,
): Reply {
  const first = langs[0] ?? payload.original;
  const sections: string[] = [];
  const notes: string[] = [];
  let originalShown = false;
  for (const lang of langs.length > 0 ? langs : [payload.original]) {
    const t = i18n.t(lang, 'announcements');
    const version = payload.versions[lang];
    const heading = payload.revision ? `**${t(`revision.${payload.revision}`)}**\n` : '';
    if (version) {
      if (lang === payload.original) originalShown = true;
      sections.push(`${heading}${version.title ? `**${version.title}**\n` : ''}${version.text}`);
      continue;
    }
    notes.push(t('note.originalOnly', { language: AUTONYMS[payload.original] }));
    if (!originalShown) {
      const original = payload.versions[payload.original];
      if (original)
        sections.push(`${heading}${original.title ? `**${original.title}**\n` : ''}${original.text}`);
      originalShown = true;
    }
  }
  notes.push(
    payload.marker
      ? i18n.t(first, 'announcements')('note.reference', { ref: payload.marker })
      : i18n.t(first, 'announcements')('note.marker', { ref: refId }),
  );
  return {
    intent: 'announce',
    lang: first,
    dir: RTL_LANGS.has(first) ? 'rtl' : 'ltr',
    text: sections.join('\n\n———\n\n'),
    notes,
    suggestions: [],
    buttons: payload.confirm
      ? [
          {
            label: i18n.t(first, 'announcements')('confirm.button'),
            action: { type: 'announce-confirm', ref: refId },
          },
        ]
      : [],
  };
}
