import { describe, expect, it } from 'vitest';
import { claimSuffix, lockForClaim } from '../../src/stores/db.js';
import { storeFactories } from '../helpers/postgres.js';

const NOW = new Date('2027-01-20T03:00:00Z');

describe.each(storeFactories)('claiming rows (the outbox’s query) on $name', (factory) => {
  it.skipIf(factory.skip)('gives two workers claiming at once different rows', async () => {
    const store = await factory.open(await factory.place());
    for (const id of ['e1', 'e2', 'e3']) await store.events.claim('slack', id, NOW);
    const query = (db: typeof store.db) =>
      lockForClaim(
        db.selectFrom('processed_events').select('event_id').orderBy('event_id').limit(1),
        store.dialect,
      );
    expect(query(store.db).compile().sql.includes('for update skip locked')).toBe(
      factory.name === 'postgres',
    );
    expect(claimSuffix(store.dialect).compile(store.db).sql).toBe(
      factory.name === 'postgres' ? ' for update skip locked' : '',
    );
    if (factory.name === 'postgres') {
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let first: string | undefined;
      const worker1 = store.db.transaction().execute(async (trx) => {
        first = (await query(trx).executeTakeFirst())?.event_id;
        await held;
      });
      while (first === undefined) await new Promise((r) => setTimeout(r, 10));
      const second = await store.db
        .transaction()
        .execute(async (trx) => (await query(trx).executeTakeFirst())?.event_id);
      release();
      await worker1;
      expect([first, second]).toEqual(['e1', 'e2']);
    }
    await store.close();
  });
});
