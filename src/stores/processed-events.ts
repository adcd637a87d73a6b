/**
 * Platform events handled once across instances: an instance records the event's id (unique per
 * platform) before handling it; a second instance, a Slack retry or a Discord gateway replay finds
 * the id taken and lets it go. A Discord message's record is marked finished once answered, so the
 * catch-up of the next gateway holder takes over the ones an instance died with. Rows older than a
 * day are pruned (platforms retry within minutes).
 */
import type { Kysely } from 'kysely';
import { hotQuery } from './hot-query.js';
import type { Database } from './schema.js';

/** Claim and finish run for every message: compiled once (`hot-query.ts`). */
const claimQuery = (db: Kysely<Database>) =>
  hotQuery(
    db,
    5,
    (platform: string, eventId: string, handledAt: string, instance: string, channelId: string | null) =>
      db
        .insertInto('processed_events')
        .values({ platform, event_id: eventId, handled_at: handledAt, instance, channel_id: channelId })
        .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing()),
  );

const finishQuery = (db: Kysely<Database>) =>
  hotQuery(db, 4, (finishedAt: string, platform: string, eventId: string, instance: string) =>
    db
      .updateTable('processed_events')
      .set({ finished_at: finishedAt })
      .where('platform', '=', platform)
      .where('event_id', '=', eventId)
      .where('instance', '=', instance),
  );

export class ProcessedEventsRepo {
  private readonly insert: ReturnType<typeof claimQuery>;
  private readonly markFinished: ReturnType<typeof finishQuery>;

  constructor(
    private readonly db: Kysely<Database>,
    /** This instance's name in the rows (host:pid). */
    readonly instance: string,
  ) {
    this.insert = claimQuery(db);
    this.markFinished = finishQuery(db);
  }

  /** True when this instance took the event now; false when it was already taken. */
  async claim(platform: string, eventId: string, now: Date, channelId?: string): Promise<boolean> {
    const result = await this.insert(platform, eventId, now.toISOString(), this.instance, channelId ?? null);
    return Number(result.numAffectedRows ?? 0n) > 0;
  }

  /**
   * Takes over an event another instance took before `takenBefore` (when this instance became the
   * one that handles such events) and never finished: it died with it. False when it is finished,
   * in this instance's hands, or taken over already (its time is then later than `takenBefore`).
   */
  async retake(platform: string, eventId: string, takenBefore: Date, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('processed_events')
      .set({ instance: this.instance, handled_at: now.toISOString() })
      .where('platform', '=', platform)
      .where('event_id', '=', eventId)
      .where('finished_at', 'is', null)
      .where('instance', '<>', this.instance)
      .where('handled_at', '<', takenBefore.toISOString())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks an event this instance took as done with (answered, or given up on). */
  async finish(platform: string, eventId: string, now: Date): Promise<void> {
    await this.markFinished(now.toISOString(), platform, eventId, this.instance);
  }

  /** The channels of events recorded since `since`, most recently active first, at most `limit`. */
  async recentChannels(platform: string, since: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('processed_events')
      .select((eb) => ['channel_id', eb.fn.max('handled_at').as('last')])
      .where('platform', '=', platform)
      .where('channel_id', 'is not', null)
      .where('handled_at', '>=', since.toISOString())
      .groupBy('channel_id')
      .orderBy('last', 'desc')
      .limit(limit)
      .execute();
    return rows.flatMap((r) => (r.channel_id ? [r.channel_id] : []));
  }

  /** Deletes records of events handled before `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('processed_events')
      .where('handled_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
