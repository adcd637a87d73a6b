/**
 * Platform events handled once across instances: an instance records the event's id (unique per
 * platform) before handling it; a second instance, a Slack retry or a Discord gateway replay finds
 * the id taken and lets it go. Rows older than a day are pruned (platforms retry within minutes).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class ProcessedEventsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    /** This instance's name in the rows (host:pid). */
    readonly instance: string,
  ) {}

  /** True when this instance took the event now; false when it was already taken. */
  async claim(platform: string, eventId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('processed_events')
      .values({ platform, event_id: eventId, handled_at: now.toISOString(), instance: this.instance })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
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
