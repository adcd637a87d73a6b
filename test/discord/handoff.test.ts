/** "Talk to a person" through the real discord.js client of the production adapter against the fake Discord. */
import type { APIButtonComponentWithCustomId } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { Adapter } from '../../src/core/adapter.js';
import { FakeDiscordServer, type SentMessage, user } from '../fakes/discord-server.js';
import { pointedAt, type TestRuntime, testDiscordRuntime } from './bot.js';

function shownText(sent: SentMessage | undefined): string {
  const m = sent?.message;
  if (!m) return '';
  return [m.content, ...m.embeds.flatMap((e) => [e.title, e.description, e.footer?.text])]
    .filter(Boolean)
    .join('\n');
}

function buttons(sent: SentMessage | undefined): APIButtonComponentWithCustomId[] {
  return (sent?.message.components ?? []).flatMap((row) =>
    'components' in row
      ? (row.components as APIButtonComponentWithCustomId[]).filter((c) => c.type === 2)
      : [],
  );
}

describe('hand-off to a person on Discord', () => {
  let fake: FakeDiscordServer;
  let shared: TestRuntime;
  let adapter: Adapter;
  const coordinator = user('700000000000000001', 'coordinator');
  const stranger = user('700000000000000002', 'stranger');
  const trainee = user('700000000000000003', 'trainee');

  beforeAll(async () => {
    fake = await FakeDiscordServer.start();
    shared = await testDiscordRuntime({
      KOBAN_COORDINATORS: `discord:${coordinator.id}`,
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

  /** Runs `work`, waits until the bot has sent `count` more messages overall, and returns them. */
  const sends = async (work: () => unknown, count: number): Promise<SentMessage[]> => {
    const before = fake.sent.length;
    work();
    await fake.waitFor(() => fake.sent.length >= before + count, `${count} message(s) from the bot`);
    // Nothing more comes after a short pause.
    await new Promise((r) => setTimeout(r, 150));
    return fake.sent.slice(before);
  };
  const t = (key: string) => shared.runtime.i18n.t('en')(key);

  it('posts to the coordinators, relays only their replies, forwards the user, and closes', async () => {
    const coord = fake.channels.trainees;
    const dm = fake.dmChannelOf(trainee);
    await sends(() => fake.sendDirectMessage(trainee, 'what is a koban?'), 1);
    const opened = await sends(() => fake.sendDirectMessage(trainee, 'I want to talk to a person please'), 2);
    const post = opened.find((m) => m.channelId === coord);
    expect(shownText(post)).toContain('what is a koban?');
    expect(shownText(post)).toContain('English');
    const postId = post?.message.id ?? '';
    // The Close button is added to the post once its id is known.
    await fake.waitFor(
      () =>
        buttons(fake.sentTo(coord).at(-1)).some((b) => b.custom_id.startsWith('koban:say:/close-handoff')),
      'the Close button',
    );
    expect(shownText(opened.find((m) => m.channelId === dm))).toContain(t('handoff.opened').slice(0, 40));

    // A stranger's reply to the post reaches nobody.
    const before = fake.sent.length;
    fake.sendGuildMessage(stranger, 'ignore me', { channelId: coord, replyTo: postId });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent.slice(before)).toEqual([]);

    const relayed = await sends(
      () =>
        fake.sendGuildMessage(coordinator, 'Come to room 204 **now** @everyone', {
          channelId: coord,
          replyTo: postId,
        }),
      1,
    );
    expect(relayed.map((m) => m.channelId)).toEqual([dm]);
    expect(shownText(relayed[0])).toContain('Message from a coordinator');
    expect(shownText(relayed[0])).toContain('Come to room 204 \\*\\*now\\*\\*');

    const first = await sends(() => fake.sendDirectMessage(trainee, 'where is room 204?'), 2);
    const forwarded = first.find((m) => m.channelId === coord);
    expect(shownText(forwarded)).toContain('where is room 204?');
    expect(forwarded?.message.message_reference?.message_id).toBe(postId);
    expect(shownText(first.find((m) => m.channelId === dm))).toContain(t('handoff.forwarded'));
    const second = await sends(() => fake.sendDirectMessage(trainee, 'second floor?'), 1);
    expect(second.map((m) => m.channelId)).toEqual([coord]);

    const closed = await sends(
      () => fake.sendGuildMessage(coordinator, '!close', { channelId: coord, replyTo: postId }),
      2,
    );
    expect(shownText(closed.find((m) => m.channelId === dm))).toContain(t('handoff.closed').slice(0, 40));
    expect(shownText(closed.find((m) => m.channelId === coord))).toContain(t('handoff.closedHere'));

    const after = await sends(() => fake.sendDirectMessage(trainee, 'what is a koban?'), 1);
    expect(after.map((m) => m.channelId)).toEqual([dm]);
    expect(shownText(after[0])).toContain('Koban');
  });
});
