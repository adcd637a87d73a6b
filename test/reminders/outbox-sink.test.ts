/**
 * The outbox reminder sink on both dialects: planning the same reminders again (as start-up and a
 * knowledge reload do) leaves a pending delivery alone, its retries and back-off included, while a
 * changed text or time replaces it with a fresh count of attempts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { makeReply } from '../../src/core/reply.js';
import { ChannelDirectory } from '../../src/engines/announcements/channels.js';
import { entries } from '../../src/engines/announcements/outbox.js';
import { OutboxReminderSink } from '../../src/engines/reminders/outbox-sink.js';
import type { ReminderItem } from '../../src/engines/reminders/sink.js';
import type { KyselyStore } from '../../src/stores/kysely-store.js';
import { storeFactories } from '../helpers/postgres.js';

const KEY = 'reminder:koban-seminar-2027:koban-visit-shinjuku:45m';
const CHANNEL = 'slack:C0KOBAN';

function item(text: string, at: Date): ReminderItem {
  return {
    key: KEY,
    at,
    targets: [{ channel: CHANNEL }],
    replies: { en: makeReply({ intent: 'reminder', lang: 'en', text }) },
    origin: 'timetable',
  };
}

describe.each(storeFactories)('outbox reminder sink on $name', (factory) => {
  const stores: KyselyStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it.skipIf(factory.skip)("keeps a waiting delivery's retries when planned again unchanged", async () => {
    const store = await factory.open(await factory.place());
    stores.push(store);
    let now = new Date('2027-01-19T23:00:00Z');
    const channels = new ChannelDirectory(
      new Map([[CHANNEL, 'koban-seminar-2027']]),
      new Map<string, Lang[]>([[CHANNEL, ['en']]]),
    );
    const sink = new OutboxReminderSink({ store, channels, clock: () => now });
    const at = new Date('2027-01-19T23:15:00Z');
    await sink.schedule([item('The koban visit starts in 45 minutes.', at)]);

    // The delivery failed twice and waits for its next try, past its time.
    now = new Date('2027-01-19T23:20:00Z');
    const retryAt = '2027-01-19T23:25:00.000Z';
    await store.db
      .updateTable('outbox')
      .set({ attempts: 2, next_attempt_at: retryAt })
      .where('ref_id', '=', KEY)
      .execute();

    // Start-up plans the same reminder again.
    await sink.schedule([item('The koban visit starts in 45 minutes.', at)]);
    let [row] = await entries(store, KEY);
    expect(row).toMatchObject({
      state: 'pending',
      attempts: 2,
      nextAttemptAt: retryAt,
      dueAt: at.toISOString(),
    });

    // The text changed (a room moved): a new delivery, due now, attempts counted afresh.
    await sink.schedule([item('The koban visit starts in 45 minutes, at the east gate.', at)]);
    [row] = await entries(store, KEY);
    expect(row).toMatchObject({
      state: 'pending',
      attempts: 0,
      dueAt: now.toISOString(),
      nextAttemptAt: now.toISOString(),
    });

    // The time moved: the row follows it.
    const later = new Date('2027-01-20T01:00:00Z');
    await sink.schedule([item('The koban visit starts in 45 minutes, at the east gate.', later)]);
    [row] = await entries(store, KEY);
    expect(row).toMatchObject({ state: 'pending', attempts: 0, dueAt: later.toISOString() });
  });
});
