import { describe, expect, it } from 'vitest';
import { storeFactories, visitInput } from '../helpers/postgres.js';

const NOW = new Date('2027-01-20T03:00:00Z');

describe.each(storeFactories)('handled events on $name', (factory) => {
  it.skipIf(factory.skip)(
    'lets one instance take an event and every other attempt find it taken',
    async () => {
      const place = await factory.place();
      const a = await factory.open(place, { instance: 'host-a:1' });
      const b = await factory.open(place, { instance: 'host-b:2' });
      const ids = Array.from({ length: 40 }, (_, i) => `Ev${i}`);
      // Both instances race for every id at once, each also seeing a retry.
      const results = await Promise.all(
        ids.flatMap((id) =>
          [a, b, a, b].map(async (s) => ({ id, took: await s.events.claim('slack', id, NOW) })),
        ),
      );
      for (const id of ids) expect(results.filter((r) => r.id === id && r.took)).toHaveLength(1);
      // The same id on another platform is another event.
      expect(await a.events.claim('discord', 'Ev0', NOW)).toBe(true);
      const rows = await a.db.selectFrom('processed_events').select(['instance']).execute();
      expect(rows).toHaveLength(41);
      // Each row names the instance that took it.
      for (const r of rows) expect(['host-a:1', 'host-b:2']).toContain(r.instance);
      await a.close();
      await b.close();
    },
  );

  it.skipIf(factory.skip)(
    'lets another instance take over only a message whose instance never finished it',
    async () => {
      const place = await factory.place();
      const a = await factory.open(place, { instance: 'host-a:1' });
      const b = await factory.open(place, { instance: 'host-b:2' });
      const c = await factory.open(place, { instance: 'host-c:3' });
      expect(await a.events.claim('discord', 'answered', NOW, 'D1')).toBe(true);
      expect(await a.events.claim('discord', 'in-hand', NOW, 'D2')).toBe(true);
      await a.events.finish('discord', 'answered', NOW);
      // A dies; B and C both take the gateway a second later (as a race would have it): A's finished
      // message stays taken, the one it held is taken over once.
      const held = new Date(NOW.getTime() + 1000);
      const later = new Date(NOW.getTime() + 2000);
      expect(await b.events.retake('discord', 'answered', held, later)).toBe(false);
      expect(await a.events.retake('discord', 'in-hand', held, later)).toBe(false);
      const racers = await Promise.all(
        [b, c, b, c].map((s) => s.events.retake('discord', 'in-hand', held, later)),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
      // Nor is a message taken over from an instance that took it after the gateway changed hands.
      expect(await a.events.claim('discord', 'fresh', later)).toBe(true);
      expect(await b.events.retake('discord', 'fresh', held, later)).toBe(false);
      // Finishing is the taker's: A's late word does not finish what another took over.
      await a.events.finish('discord', 'in-hand', NOW);
      const row = await a.db
        .selectFrom('processed_events')
        .select(['instance', 'finished_at'])
        .where('event_id', '=', 'in-hand')
        .executeTakeFirstOrThrow();
      expect(row.finished_at).toBeNull();
      expect(['host-b:2', 'host-c:3']).toContain(row.instance);
      await a.close();
      await b.close();
      await c.close();
    },
  );

  it.skipIf(factory.skip)('lists the channels of recent events, most recently active first', async () => {
    const store = await factory.open(await factory.place());
    const at = (m: number) => new Date(NOW.getTime() - m * 60_000);
    await store.events.claim('discord', 'm1', at(90), 'D-old');
    await store.events.claim('discord', 'm2', at(30), 'D-a');
    await store.events.claim('discord', 'm3', at(10), 'D-b');
    await store.events.claim('discord', 'm4', at(5), 'D-a');
    await store.events.claim('discord', 'i1', at(1));
    await store.events.claim('slack', 'e1', at(1), 'C-slack');
    expect(await store.events.recentChannels('discord', at(60), 10)).toEqual(['D-a', 'D-b']);
    expect(await store.events.recentChannels('discord', at(60), 1)).toEqual(['D-a']);
    await store.close();
  });

  it.skipIf(factory.skip)('forgets events handled more than a day ago when it opens', async () => {
    const place = await factory.place();
    const first = await factory.open(place);
    expect(await first.events.claim('discord', 'old', new Date('2027-01-18T00:00:00Z'))).toBe(true);
    expect(await first.events.claim('discord', 'recent', new Date('2027-01-19T12:00:00Z'))).toBe(true);
    await first.close();
    const store = await factory.open(place, { clock: () => NOW });
    expect(await store.events.claim('discord', 'old', NOW)).toBe(true);
    expect(await store.events.claim('discord', 'recent', NOW)).toBe(false);
    await store.close();
  });
});

describe.each(storeFactories.filter((f) => f.name === 'postgres'))(
  'visit references with two instances on $name',
  (factory) => {
    it.skipIf(factory.skip)(
      'gives submissions made at the same moment on two instances distinct references',
      async () => {
        const place = await factory.place();
        const a = await factory.open(place);
        const b = await factory.open(place);
        const refs = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 ? a : b).visits
              .submit(visitInput, { requester: `cli:${i}`, lang: 'en' }, NOW)
              .then((r) => r.ref),
          ),
        );
        expect(new Set(refs).size).toBe(12);
        expect([...refs].sort()[11]).toBe('V-2027-0012');
        await a.close();
        await b.close();
      },
    );
  },
);
