/**
 * Hand-offs to a person: one row per conversation handed to the coordinators, with the coordinator
 * post (channel + thread id) and the user it relays to. Open until a coordinator closes it or it
 * expires; no message text is kept here.
 */
import type { Kysely } from 'kysely';
import { isLang, type Lang } from '../core/languages.js';
import { hotQuery } from './hot-query.js';
import type { Database, HandoffsTable } from './schema.js';

export interface Handoff {
  id: number;
  userKey: string;
  platform: string;
  userId: string;
  conversationId?: string;
  channelId: string;
  threadId: string;
  lang: Lang;
  state: 'open' | 'closed';
  createdAt: string;
  closedAt?: string;
  ackedAt?: string;
}

export interface NewHandoff {
  userKey: string;
  platform: string;
  userId: string;
  conversationId?: string | undefined;
  channelId: string;
  threadId: string;
  lang: Lang;
  createdAt: string;
}

/** A row as the repository gives it. */
export function toHandoff(r: Omit<HandoffsTable, 'id'> & { id: number }): Handoff {
  return {
    id: r.id,
    userKey: r.user_key,
    platform: r.platform,
    userId: r.user_id,
    ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
    channelId: r.channel_id,
    threadId: r.thread_id,
    lang: isLang(r.lang) ? r.lang : 'en',
    state: r.state === 'open' ? 'open' : 'closed',
    createdAt: r.created_at,
    ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
    ...(r.acked_at !== null ? { ackedAt: r.acked_at } : {}),
  };
}

/** Read on every direct message (`openFor`): compiled once (`hot-query.ts`). */
const openForQuery = (db: Kysely<Database>) =>
  hotQuery(db, 1, (userKey: string) =>
    db
      .selectFrom('handoffs')
      .selectAll()
      .where('user_key', '=', userKey)
      .where('state', '=', 'open')
      .orderBy('id', 'desc')
      .limit(1),
  );

export class HandoffRepo {
  private readonly openForRead: ReturnType<typeof openForQuery>;

  constructor(private readonly db: Kysely<Database>) {
    this.openForRead = openForQuery(db);
  }

  async create(h: NewHandoff): Promise<Handoff> {
    const row = await this.db
      .insertInto('handoffs')
      .values({
        user_key: h.userKey,
        platform: h.platform,
        user_id: h.userId,
        conversation_id: h.conversationId ?? null,
        channel_id: h.channelId,
        thread_id: h.threadId,
        lang: h.lang,
        state: 'open',
        created_at: h.createdAt,
        closed_at: null,
        acked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await this.get(Number(row.id));
    if (!created) throw new Error(`hand-off ${row.id} not found after insert`);
    return created;
  }

  async get(id: number): Promise<Handoff | undefined> {
    const r = await this.db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toHandoff(r) : undefined;
  }

  /** The user's open hand-off (the newest), if any. */
  async openFor(userKey: string): Promise<Handoff | undefined> {
    const r = (await this.openForRead(userKey)).rows[0];
    return r ? toHandoff(r) : undefined;
  }

  /** The hand-off whose coordinator post is `threadId` on `platform`. */
  async byThread(platform: string, threadId: string): Promise<Handoff | undefined> {
    const r = await this.db
      .selectFrom('handoffs')
      .selectAll()
      .where('platform', '=', platform)
      .where('thread_id', '=', threadId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r ? toHandoff(r) : undefined;
  }

  /** Closes an open hand-off; false when it was already closed. */
  async close(id: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('handoffs')
      .set({ state: 'closed', closed_at: at })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async acked(id: number, at: string): Promise<void> {
    await this.db.updateTable('handoffs').set({ acked_at: at }).where('id', '=', id).execute();
  }
}
