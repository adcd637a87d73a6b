/**
 * A short per-user conversation context: the last FAQ or schedule answer (for follow-ups such as
 * "and tomorrow?" or "tell me more") and the last few turns (for a hand-off to a person). It
 * expires: older than `ttlMs` it is as if there were none.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { LANGUAGES } from '../core/languages.js';
import { hotQuery } from './hot-query.js';
import type { Database } from './schema.js';

/** Follow-ups only make sense shortly after an answer. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;
/** Turns kept for a hand-off (a user message and the bot's reply are two turns). */
export const MAX_TURNS = 8;

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

const writeQuery = (db: Kysely<Database>) =>
  hotQuery(db, 3, (userKey: string, data: string, updatedAt: string) =>
    db
      .insertInto('conversation_context')
      .values({ user_key: userKey, data, updated_at: updatedAt })
      .onConflict((oc) => oc.column('user_key').doUpdateSet({ data, updated_at: updatedAt })),
  );

export class ContextRepo {
  private readonly read: ReturnType<typeof readQuery>;
  private readonly write: ReturnType<typeof writeQuery>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = CONTEXT_TTL_MS,
  ) {
    this.read = readQuery(db);
    this.write = writeQuery(db);
  }

  /** The user's context if it was written less than the TTL before `now`. */
  async get(userKey: string, now: Date): Promise<ConversationContext | undefined> {
    const row = (await this.read(userKey)).rows[0];
    if (!row) return undefined;
    const age = now.getTime() - Date.parse(row.updated_at);
    if (!(age >= 0 && age < this.ttlMs)) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(row.data);
    } catch {
      return undefined;
    }
    const parsed = conversationContextSchema.safeParse(raw);
    if (!parsed.success) return undefined;
    const last = parsed.data.last;
    // The last answer itself may be older than the turns after it.
    if (last && !(now.getTime() - Date.parse(last.at) < this.ttlMs)) {
      return { turns: parsed.data.turns };
    }
    return parsed.data;
  }

  async put(userKey: string, context: ConversationContext, now: Date): Promise<void> {
    const data = JSON.stringify({ ...context, turns: context.turns.slice(-MAX_TURNS) });
    await this.write(userKey, data, now.toISOString());
  }

  async clear(userKey: string): Promise<void> {
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
