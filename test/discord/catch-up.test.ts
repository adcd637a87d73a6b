/**
 * The catch-up when the bot gets the Discord gateway: what was written while no instance was
 * connected is answered once, through the same intake as a live message; what was answered (or is
 * older than KOBAN_DISCORD_CATCHUP_MINUTES) is left alone. Real discord.js against the fake Discord,
 * on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { Adapter } from '../../src/core/adapter.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { FakeDiscordServer, user } from '../fakes/discord-server.js';
import { freshDatabase, postgresSkipReason, settings, storeFactories } from '../helpers/postgres.js';
import { pointedAt, type TestRuntime, testDiscordRuntime } from './bot.js';

const QUESTION = 'What is a Koban?';

describe.each(storeFactories)('Discord catch-up on $name', (factory) => {
  let shared: TestRuntime;
  let url: string | undefined;
  beforeAll(async () => {
    if (factory.skip) {
      process.stderr.write(`[catch-up on postgres] skipped: ${postgresSkipReason()}\n`);
      return;
    }
    url = factory.name === 'postgres' ? await freshDatabase() : undefined;
    shared = await testDiscordRuntime(url ? { KOBAN_DATABASE_URL: url } : {});
  }, 60_000);
  afterAll(async () => {
    await shared?.runtime.close();
  });

  /** Another instance's store on the same database (as an instance that died would have left it). */
  const otherInstance = () =>
    KyselyStore.open({
      path: shared.runtime.config.dbPath,
      instance: 'dead-host:1',
      ...(url ? { postgres: settings(url) } : {}),
    });

  const caughtUp = (after: number) =>
    shared.logs
      .slice(after)
      .find((l) => l.msg === 'discord: caught up on messages written while disconnected');

  it.skipIf(factory.skip)(
    'answers once what was written while it was away, and leaves the answered and the old alone',
    async () => {
      const fake = await FakeDiscordServer.start();
      const adapters: Adapter[] = [];
      const start = async () => {
        const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
        adapters.push(adapter);
        await adapter.start();
        return adapter;
      };
      try {
        const [aiko, bao, chen] = ['aiko', 'bao', 'chen'].map((n) => user(fake.snowflake(), n));
        if (!aiko || !bao || !chen) throw new Error('users');
        const mention = `<@${fake.bot.id}> ${QUESTION}`;
        // Before the bot ever connected: a mention, one older than the window, one without a mention.
        const missed = fake.sendGuildMessage(aiko, mention, { mentions: [fake.bot] });
        const old = fake.sendGuildMessage(bao, mention, {
          mentions: [fake.bot],
          at: new Date(Date.now() - 11 * 60_000),
        });
        fake.sendGuildMessage(bao, QUESTION);
        let logged = shared.logs.length;
        const first = await start();
        const replies = () => fake.sentTo(fake.channels.general);
        const toMissed = await fake.waitFor(
          () => replies().find((s) => s.message.message_reference?.message_id === missed.id),
          'the answer to the missed mention',
          10_000,
        );
        expect(toMissed.message.embeds[0]?.title).toBe(
          shared.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
        );
        const log = await fake.waitFor(() => caughtUp(logged), 'the catch-up log line', 10_000);
        expect(log).toMatchObject({ read: 2, handled: 1, minutes: 10 });

        // Chen asks live, the bot is stopped, Chen asks again meanwhile, the bot comes back.
        const live = fake.sendDirectMessage(chen, QUESTION);
        const dm = live.channel_id;
        await fake.waitFor(() => fake.sentTo(dm)[0], 'the live answer');
        await first.stop();
        // Answered, so marked finished: no later holder takes it over.
        const other = await otherInstance();
        const row = await other.db
          .selectFrom('processed_events')
          .select(['finished_at', 'channel_id'])
          .where('event_id', '=', live.id)
          .executeTakeFirst();
        await other.close();
        expect(row?.finished_at).toEqual(expect.any(String));
        expect(row?.channel_id).toBe(dm);
        const meanwhile = fake.sendDirectMessage(chen, 'How do I request a visit?');
        logged = shared.logs.length;
        await start();
        await fake.waitFor(() => fake.sentTo(dm)[1], 'the answer to the DM sent while away', 10_000);
        await fake.waitFor(() => caughtUp(logged), 'the second catch-up log line', 10_000);
        await new Promise((r) => setTimeout(r, 200));
        // Each question once: the live one and the mention are not answered again.
        expect(fake.sentTo(dm)).toHaveLength(2);
        expect(replies()).toHaveLength(1);
        expect(replies().some((s) => s.message.message_reference?.message_id === old.id)).toBe(false);
        expect(caughtUp(logged)).toMatchObject({ handled: 1 });
        expect(meanwhile.id).not.toBe(live.id);
      } finally {
        for (const a of adapters) await a.stop();
        await fake.close();
      }
    },
    60_000,
  );

  it.skipIf(factory.skip)(
    'takes over a message an instance died with, without posting an answer that already went out',
    async () => {
      const fake = await FakeDiscordServer.start();
      const dead = await otherInstance();
      const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
      try {
        const [dara, eko, fumi] = ['dara', 'eko', 'fumi'].map((n) => user(fake.snowflake(), n));
        if (!dara || !eko || !fumi) throw new Error('users');
        const at = new Date();
        // The dead instance had taken three DMs: one it answered and finished, one it answered but
        // died before recording that, one it died before answering.
        const finished = fake.sendDirectMessage(dara, QUESTION);
        const posted = fake.sendDirectMessage(eko, QUESTION);
        const unanswered = fake.sendDirectMessage(fumi, QUESTION);
        for (const m of [finished, posted, unanswered])
          expect(await dead.events.claim('discord', m.id, at, m.channel_id)).toBe(true);
        await dead.events.finish('discord', finished.id, at);
        const res = await fetch(`${fake.apiUrl}/v10/channels/${posted.channel_id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'the answer', nonce: posted.id, enforce_nonce: true }),
        });
        expect(res.status).toBe(200);

        const logged = shared.logs.length;
        await adapter.start();
        await fake.waitFor(() => fake.sentTo(unanswered.channel_id)[0], 'the answer taken over', 10_000);
        await fake.waitFor(() => caughtUp(logged), 'the catch-up log line', 10_000);
        expect(fake.sentTo(finished.channel_id)).toHaveLength(0);
        // Answered again, but Discord returned the first post for the same nonce.
        expect(fake.sentTo(posted.channel_id)).toHaveLength(1);
        expect(fake.sentTo(unanswered.channel_id)).toHaveLength(1);
        expect(caughtUp(logged)).toMatchObject({ read: 4, handled: 2 });
      } finally {
        await adapter.stop();
        await dead.close();
        await fake.close();
      }
    },
    60_000,
  );
});
