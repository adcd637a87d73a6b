/**
 * A short per-user conversation context: the last FAQ or schedule answer (for follow-ups such as
 * "and tomorrow?" or "tell me more") and the last few turns (for a hand-off to a person). It
 * expires: older than `ttlMs` it is as if there were none.
 */
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { LANGUAGES } from '../core/languages.js';
import { type Handoff, toHandoff } from './handoffs.js';
import { hotQuery } from './hot-query.js';
import type { Database } from './schema.js';

/** Follow-ups only make sense shortly after an answer. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;
/** Turns kept for a hand-off (a user message and the bot's reply are two turns). */
export const MAX_TURNS = 8;
/** Users whose last written context this process keeps to skip parsing it on the next read. */
const WRITTEN_USERS = 500;

const lang = z.enum(LANGUAGES);

/** The schedule question an answer was about, serialisable (days as YYYY-MM-DD in `zone`). */
export const scheduleQuerySchema = z.object({
  focus: z.enum(['day', 'session', 'next', 'now', 'courseStart', 'courseEnd', 'overview']),
  nextOnly: z.boolean(),
  zone: z.string(),
  date: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('day'), day: z.string() }),
      z.object({
        kind: z.literal('range'),
        which: z.enum(['thisWeek', 'nextWeek']),
        from: z.string(),
        to: z.string(),
      }),
      z.object({ kind: z.literal('rest') }),
      z.object({ kind: z.literal('course') }),
    ])
    .optional(),
  /** Sessions the question named, as "courseId/sessionId". */
  named: z.array(z.string()).optional(),
});
export type ScheduleQueryRef = z.infer<typeof scheduleQuerySchema>;

export const lastAnswerSchema = z.object({
  intent: z.enum(['faq', 'schedule']),
  at: z.string(),
  lang,
  /** The question the answer was for (its text as typed). */
  question: z.string(),
  entryId: z.string().optional(),
  /** Entries suggested with the answer. */
  suggestions: z.array(z.string()),
  /** Sessions the answer listed, as "courseId/sessionId", chronological. */
  sessions: z.array(z.string()),
  schedule: scheduleQuerySchema.optional(),
});
export type LastAnswer = z.infer<typeof lastAnswerSchema>;

export const turnRecordSchema = z.object({
  from: z.enum(['user', 'bot']),
  text: z.string(),
  at: z.string(),
});
export type TurnRecord = z.infer<typeof turnRecordSchema>;

export const conversationContextSchema = z.object({
  last: lastAnswerSchema.optional(),
  turns: z.array(turnRecordSchema),
});
export type ConversationContext = z.infer<typeof conversationContextSchema>;

/** Read and written on every message: compiled once (`hot-query.ts`). */
const readQuery = (db: Kysely<Database>) =>
  hotQuery(db, 1, (userKey: string) =>
    db.selectFrom('conversation_context').select(['data', 'updated_at']).where('user_key', '=', userKey),
  );

/**
 * The context and the open hand-off (the newest) of a user in ONE statement: a direct message
 * needs both (the hand-off handler asks first, the context is kept after the reply), and each
 * statement costs more than the index look-ups it runs (on SQLite a read transaction of its own).
 * One row always: the context's columns and the hand-off's are null when there is none.
 */
const turnReadQuery = (db: Kysely<Database>) =>
  hotQuery(db, 2, (contextKey: string, handoffKey: string) =>
    db
      .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('o'))
      .leftJoin('conversation_context as c', (join) => join.on('c.user_key', '=', contextKey))
      // The newest open hand-off by its id (an index seek), not a sorted subquery: SQLite would
      // materialise that into a temporary table on every call.
      .leftJoin('handoffs as h', (join) =>
        join.on('h.id', '=', (eb) =>
          eb
            .selectFrom('handoffs')
            .select((m) => m.fn.max('id').as('newest'))
            .where('user_key', '=', handoffKey)
            .where('state', '=', 'open'),
        ),
      )
      .select([
        'c.data as context_data',
        'c.updated_at as context_updated_at',
        'h.id',
        'h.user_key',
        'h.platform',
        'h.user_id',
        'h.conversation_id',
        'h.channel_id',
        'h.thread_id',
        'h.lang',
        'h.state',
        'h.created_at',
        'h.closed_at',
        'h.acked_at',
      ]),
  );

/** What a direct message's turn reads about its user (`ContextRepo.getWithHandoff`). */
export interface TurnRead {
  context: ConversationContext | undefined;
  handoff: Handoff | undefined;
}

const writeQuery = (db: Kysely<Database>) =>
  hotQuery(db, 3, (userKey: string, data: string, updatedAt: string) =>
    db
      .insertInto('conversation_context')
      .values({ user_key: userKey, data, updated_at: updatedAt })
      .onConflict((oc) => oc.column('user_key').doUpdateSet({ data, updated_at: updatedAt })),
  );

export class ContextRepo {
  private readonly read: ReturnType<typeof readQuery>;
  private readonly turnRead: ReturnType<typeof turnReadQuery>;
  private readonly write: ReturnType<typeof writeQuery>;
  /**
   * The text this process last wrote per user and the context it wrote: a read that finds exactly
   * that text skips JSON.parse and the schema check (another instance's write is other text, and is
   * parsed as usual). Recently written users only (`WRITTEN_USERS`).
   */
  private readonly written = new Map<string, { data: string; context: ConversationContext }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = CONTEXT_TTL_MS,
  ) {
    this.read = readQuery(db);
    this.turnRead = turnReadQuery(db);
    this.write = writeQuery(db);
  }

  /** The user's context if it was written less than the TTL before `now`. */
  async get(userKey: string, now: Date): Promise<ConversationContext | undefined> {
    const row = (await this.read(userKey)).rows[0];
    return row ? this.fresh(userKey, row.data, row.updated_at, now) : undefined;
  }

  /**
   * The user's context as `get` gives it and their open hand-off (the newest, as
   * `HandoffRepo.openFor` gives it), read together in one statement.
   */
  async getWithHandoff(userKey: string, now: Date): Promise<TurnRead> {
    const row = (await this.turnRead(userKey, userKey)).rows[0];
    const context =
      row?.context_data != null && row.context_updated_at != null
        ? this.fresh(userKey, row.context_data, row.context_updated_at, now)
        : undefined;
    const h = row;
    const handoff =
      h?.id != null &&
      h.user_key != null &&
      h.platform != null &&
      h.user_id != null &&
      h.channel_id != null &&
      h.thread_id != null &&
      h.lang != null &&
      h.state != null &&
      h.created_at != null
        ? toHandoff({
            id: Number(h.id),
            user_key: h.user_key,
            platform: h.platform,
            user_id: h.user_id,
            conversation_id: h.conversation_id ?? null,
            channel_id: h.channel_id,
            thread_id: h.thread_id,
            lang: h.lang,
            state: h.state,
            created_at: h.created_at,
            closed_at: h.closed_at ?? null,
            acked_at: h.acked_at ?? null,
          })
        : undefined;
    return { context, handoff };
  }

  /** A stored context if written less than the TTL before `now` and still valid. */
  private fresh(
    userKey: string,
    data: string,
    updatedAt: string,
    now: Date,
  ): ConversationContext | undefined {
    const age = now.getTime() - Date.parse(updatedAt);
    if (!(age >= 0 && age < this.ttlMs)) return undefined;
    const mine = this.written.get(userKey);
    let context: ConversationContext;
    if (mine && mine.data === data) context = { ...mine.context };
    else {
      let raw: unknown;
      try {
        raw = JSON.parse(data);
      } catch {
        return undefined;
      }
      const parsed = conversationContextSchema.safeParse(raw);
      if (!parsed.success) return undefined;
      context = parsed.data;
    }
    const last = context.last;
    // The last answer itself may be older than the turns after it.
    if (last && !(now.getTime() - Date.parse(last.at) < this.ttlMs)) {
      return { turns: context.turns };
    }
    return context;
  }

  async put(userKey: string, context: ConversationContext, now: Date): Promise<void> {
    const stored = { ...context, turns: context.turns.slice(-MAX_TURNS) };
    const data = JSON.stringify(stored);
    this.written.delete(userKey);
    await this.write(userKey, data, now.toISOString());
    // What a read of `data` gives: the context's type holds only strings, booleans, arrays and
    // plain objects of the schema's keys, which JSON keeps as they are (compared with the parsed
    // text over real turns in test/assistant/context-memo.test.ts).
    this.written.set(userKey, { data, context: stored });
    if (this.written.size > WRITTEN_USERS) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
  }

  async clear(userKey: string): Promise<void> {
    this.written.delete(userKey);
    await this.db.deleteFrom('conversation_context').where('user_key', '=', userKey).execute();
  }

  /** Deletes contexts last written before `before` (retention); returns how many. */
  async purge(before: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('conversation_context')
      .where('updated_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
