/** Hand-off with coordinators by Discord role (KOBAN_DISCORD_COORDINATOR_ROLE): real discord.js against the fake Discord. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { Adapter } from '../../src/core/adapter.js';
import { FakeDiscordServer, type SentMessage, user } from '../fakes/discord-server.js';
import { pointedAt, type TestRuntime, testDiscordRuntime } from './bot.js';

const shownText = (sent: SentMessage | undefined): string =>
  [sent?.message.content, ...(sent?.message.embeds ?? []).map((e) => e.description)]
    .filter(Boolean)
    .join('\n');

describe('hand-off on Discord with coordinators by role', () => {
  let fake: FakeDiscordServer;
  let shared: TestRuntime;
  let adapter: Adapter;
  const member = user('700000000000000011', 'role-holder');
  const stranger = user('700000000000000012', 'stranger');
  const trainee = user('700000000000000013', 'trainee');

  beforeAll(async () => {
    fake = await FakeDiscordServer.start();
    shared = await testDiscordRuntime({
      KOBAN_DISCORD_COORDINATOR_ROLE: fake.coordinatorRole,
      KOBAN_COORDINATOR_CHANNELS: `discord:${fake.channels.trainees}`,
    });
    adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
    await adapter.start();
  }, 120_000);
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await shared?.runtime.close();
  });

  const sends = async (work: () => unknown, count: number): Promise<SentMessage[]> => {
    const before = fake.sent.length;
    work();
    await fake.waitFor(() => fake.sent.length >= before + count, `${count} message(s) from the bot`);
    await new Promise((r) => setTimeout(r, 150));
    return fake.sent.slice(before);
  };

  it('relays a member with the role, not someone without it, and the role holder closes', async () => {
    const coord = fake.channels.trainees;
    const dm = fake.dmChannelOf(trainee);
    const opened = await sends(() => fake.sendDirectMessage(trainee, 'I want to talk to a person please'), 2);
    const postId = opened.find((m) => m.channelId === coord)?.message.id ?? '';

    const before = fake.sent.length;
    fake.sendGuildMessage(stranger, 'not relayed', { channelId: coord, replyTo: postId });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent.slice(before)).toEqual([]);

    const relayed = await sends(
      () =>
        fake.sendGuildMessage(member, 'Meet at the gate', {
          channelId: coord,
          replyTo: postId,
          roles: [fake.coordinatorRole],
        }),
      1,
    );
    expect(relayed.map((m) => m.channelId)).toEqual([dm]);
    expect(shownText(relayed[0])).toContain('Meet at the gate');

    await sends(
      () =>
        fake.sendGuildMessage(member, '!close', {
          channelId: coord,
          replyTo: postId,
          roles: [fake.coordinatorRole],
        }),
      2,
    );
    expect(await shared.runtime.handoffs.current(`discord:${trainee.id}`, new Date())).toBeUndefined();
  });
});
