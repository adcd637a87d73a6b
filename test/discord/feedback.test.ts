/** "Helpful? yes/no" under an FAQ answer, clicked through the real discord.js client against the fake Discord. */
import type { APIButtonComponentWithCustomId } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SentMessage, user } from '../fakes/discord-server.js';
import { startBot, type TestBot, type TestRuntime, testDiscordRuntime } from './bot.js';

function buttons(sent: SentMessage): APIButtonComponentWithCustomId[] {
  return (sent.message.components ?? []).flatMap((row) =>
    'components' in row
      ? (row.components as APIButtonComponentWithCustomId[]).filter((c) => c.type === 2)
      : [],
  );
}

describe('feedback on Discord', () => {
  let shared: TestRuntime;
  let bot: TestBot;
  beforeAll(async () => {
    shared = await testDiscordRuntime();
    bot = await startBot(shared.runtime);
  }, 120_000);
  afterAll(async () => {
    await bot?.close();
    await shared?.runtime.close();
  });

  const answerTo = (interactionId: string) =>
    bot.fake.waitFor(
      () => bot.fake.sent.find((s) => s.interactionId === interactionId && s.via !== 'deferred'),
      `the answer to interaction ${interactionId}`,
    );

  it('stores a "helpful" click in Japanese with the entry and question, and thanks in Japanese', async () => {
    const { fake } = bot;
    const aiko = user(fake.snowflake(), 'aiko');
    const dm = fake.sendDirectMessage(aiko, '交番とは何ですか');
    const answer = await fake.waitFor(() => fake.sentTo(dm.channel_id)[0], 'the answer');
    const yes = buttons(answer).find((b) => b.custom_id.startsWith('koban:fb:yes:'));
    expect(yes?.custom_id).toBe('koban:fb:yes:koban-what-is');
    expect(yes?.label).toContain('役に立った');
    const click = fake.clickComponent(aiko, answer.message, String(yes?.custom_id));
    const thanks = await answerTo(click.id);
    expect(thanks.message.content + JSON.stringify(thanks.message.embeds)).toContain('ありがとう');
    const votes = await shared.runtime.store.feedback.list();
    expect(votes).toEqual([
      expect.objectContaining({
        entryId: 'koban-what-is',
        lang: 'ja',
        platform: 'discord',
        helpful: true,
        question: '交番とは何ですか',
      }),
    ]);
  });

  it('stores nothing for a forged feedback button', async () => {
    const { fake } = bot;
    const eve = user(fake.snowflake(), 'eve');
    const dm = fake.sendDirectMessage(eve, 'what is a koban?');
    const answer = await fake.waitFor(() => fake.sentTo(dm.channel_id)[0], 'the answer');
    const before = (await shared.runtime.store.feedback.list()).length;
    const click = fake.clickComponent(eve, answer.message, 'koban:fb:maybe:../../etc');
    await answerTo(click.id);
    expect((await shared.runtime.store.feedback.list()).length).toBe(before);
  });
});
