/**
 * End to end on Discord: the real discord.js client of the production adapter, against the loopback
 * fake Discord (test/fakes/discord-server.ts). Reads as conversations: a user writes, the bot answers.
 */
import type { APIButtonComponentWithCustomId, APIStringSelectComponent, APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import { DiscordStartError } from '../../src/adapters/discord/errors.js';
import { MessageLimits } from '../../src/limits/message-limits.js';
import type { Runtime } from '../../src/main.js';
import { FakeDiscordServer, type SentMessage, user } from '../fakes/discord-server.js';
import { pointedAt, startBot, type TestBot, type TestRuntime, testDiscordRuntime } from './bot.js';

const MESSAGE_CONTENT = 1 << 15;
const EPHEMERAL = 64;

function buttons(sent: SentMessage): APIButtonComponentWithCustomId[] {
  return (sent.message.components ?? []).flatMap((row) =>
    'components' in row
      ? (row.components as APIButtonComponentWithCustomId[]).filter((c) => c.type === 2)
      : [],
  );
}

function languageMenu(sent: SentMessage): APIStringSelectComponent | undefined {
  return sent.message.components
    ?.flatMap((row) => ('components' in row ? (row.components as APIStringSelectComponent[]) : []))
    .find((c) => c.type === 3);
}

/** Every text a message shows: content, embed titles, descriptions and footers. */
function shownText(sent: SentMessage): string {
  const m = sent.message;
  return [m.content, ...m.embeds.flatMap((e) => [e.title, e.description, e.footer?.text])]
    .filter(Boolean)
    .join('\n');
}

let shared: TestRuntime;
beforeAll(async () => {
  shared = await testDiscordRuntime();
});
afterAll(async () => {
  await shared?.runtime.close();
});

describe('Discord messages', () => {
  let bot: TestBot;
  let mention: (by: APIUser, text: string) => string;
  beforeAll(async () => {
    bot = await startBot(shared.runtime);
    mention = (by, text) => {
      bot.fake.sendGuildMessage(by, `<@${bot.fake.bot.id}> ${text}`, { mentions: [bot.fake.bot] });
      return bot.fake.channels.general;
    };
  });
  afterAll(async () => {
    await bot?.close();
  });

  /** Waits for the n-th message the bot sends to a channel (1-based). */
  const nth = (channelId: string, n: number) =>
    bot.fake.waitFor(() => bot.fake.sentTo(channelId)[n - 1], `message ${n} in ${channelId}`);

  it('answers a Vietnamese DM with the Vietnamese dress-code entry, pinging no one', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const lan = user(fake.snowflake(), 'lan');
    const dm = fake.sendDirectMessage(lan, 'Tôi nên mặc gì khi đi thăm đồn cảnh sát?');
    const sent = await nth(dm.channel_id, 1);
    const expected = runtime.knowledge.faq.show('visit-dress-code', 'vi');
    expect(expected?.translation.lang).toBe('vi');
    expect(fake.requests).toContainEqual(
      expect.objectContaining({ method: 'POST', path: `/channels/${dm.channel_id}/messages`, status: 200 }),
    );
    expect(sent.message.embeds[0]?.title).toBe(expected?.translation.title);
    expect(sent.allowedMentions?.parse).toEqual([]);
    expect(sent.allowedMentions?.replied_user).toBeFalsy();
  });

  it('replies to a mention in a server channel, without the mention in the question', async () => {
    const { fake } = bot;
    const before = fake.sentTo(fake.channels.general).length;
    const ahmad = user(fake.snowflake(), 'ahmad');
    const message = fake.sendGuildMessage(ahmad, `<@${fake.bot.id}> What is a Koban?`, {
      mentions: [fake.bot],
    });
    const sent = await nth(fake.channels.general, before + 1);
    expect(sent.message.embeds[0]?.title).toBe(
      shared.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
    );
    expect(sent.message.message_reference?.message_id).toBe(message.id);
    expect(sent.allowedMentions).toMatchObject({ parse: [], replied_user: false });
  });

  it('stays silent for its own messages, other bots, and channel messages that do not mention it', async () => {
    const { fake } = bot;
    const before = fake.sentTo(fake.channels.general).length;
    fake.sendGuildMessage(fake.bot, `<@${fake.bot.id}> What is a Koban?`, { mentions: [fake.bot] });
    const otherBot = user(fake.snowflake(), 'carl-bot', { bot: true });
    fake.sendGuildMessage(otherBot, `<@${fake.bot.id}> What is a Koban?`, { mentions: [fake.bot] });
    fake.sendGuildMessage(user(fake.snowflake(), 'maria'), 'What is a Koban?');
    // A message that must be answered, sent last: once it is, the three before were handled too.
    mention(user(fake.snowflake(), 'siti'), 'help');
    await nth(fake.channels.general, before + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo(fake.channels.general)).toHaveLength(before + 1);
  });

  it('never turns @everyone in the user text into a live mention', async () => {
    const { fake } = bot;
    const before = fake.sentTo(fake.channels.general).length;
    mention(user(fake.snowflake(), 'mehmet'), 'language @everyone');
    const sent = await nth(fake.channels.general, before + 1);
    expect(sent.allowedMentions?.parse).toEqual([]);
    expect(sent.message.content).toBe('');
    // The assistant quotes the unknown language name; the quote cannot read as a mention.
    expect(shownText(sent)).toContain('@\u200beveryone');
    expect(shownText(sent)).not.toMatch(/@everyone/);
  });

  it('shows markdown typed by the user literally when the answer quotes it', async () => {
    const { fake } = bot;
    const lan = user(fake.snowflake(), 'lan2');
    const dm = fake.sendDirectMessage(lan, 'language **klingon**');
    const sent = await nth(dm.channel_id, 1);
    expect(shownText(sent)).toContain('\\*\\*klingon\\*\\*');
  });

  it('waits out a 429 with retry_after and delivers the answer exactly once', async () => {
    const { fake } = bot;
    const juan = user(fake.snowflake(), 'juan');
    const dmPath = /^\/channels\/\d+\/messages$/;
    fake.rateLimitNext('POST', dmPath, 0.3);
    const dm = fake.sendDirectMessage(juan, 'What is a Koban?');
    await nth(dm.channel_id, 1);
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages`,
    );
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo(dm.channel_id)).toHaveLength(1);
    expect(shared.logs.some((l) => l.msg === 'discord: rate limited, waiting')).toBe(true);
  });

  it('sends again after a connection lost mid-post, and the nonce keeps the answer single', async () => {
    const { fake } = bot;
    const noor = user(fake.snowflake(), 'noor');
    fake.dropAfterNext('POST', /^\/channels\/\d+\/messages$/);
    const dm = fake.sendDirectMessage(noor, 'What is a Koban?');
    await nth(dm.channel_id, 1);
    const posts = () =>
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages`);
    for (let waited = 0; posts().length < 2 && waited < 5000; waited += 25)
      await new Promise((r) => setTimeout(r, 25));
    // The first post went through but its answer never came; the second returned the same message.
    expect(posts().map((r) => r.status)).toEqual([-1, 200]);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo(dm.channel_id)).toHaveLength(1);
  });

  it('delays an answer through three 429s in a row instead of dropping it', async () => {
    const { fake } = bot;
    const rosa = user(fake.snowflake(), 'rosa');
    const dmPath = /^\/channels\/\d+\/messages$/;
    for (let i = 0; i < 3; i++) fake.rateLimitNext('POST', dmPath, 0.1);
    const dm = fake.sendDirectMessage(rosa, 'What is a Koban?');
    await nth(dm.channel_id, 1);
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${dm.channel_id}/messages`,
    );
    expect(posts.map((r) => r.status)).toEqual([429, 429, 429, 200]);
    expect(fake.sentTo(dm.channel_id)).toHaveLength(1);
  });

  it('logs a Discord API error with its code and keeps answering', async () => {
    const { fake } = bot;
    const siti = user(fake.snowflake(), 'siti2');
    fake.failNext('POST', /^\/channels\/\d+\/messages$/, 403, 50001, 'Missing Access');
    const first = fake.sendDirectMessage(siti, 'What is a Koban?');
    await fake.waitFor(() => shared.logs.find((l) => l.code === 50001), 'the logged API error');
    fake.sendDirectMessage(siti, 'What is a Koban?');
    await nth(first.channel_id, 1);
    expect(shared.logs.find((l) => l.code === 50001)).toMatchObject({
      status: 403,
      msg: 'discord: could not answer',
    });
    const metrics = await shared.runtime.metrics.render();
    expect(metrics.body).toMatch(/koban_outgoing_api_errors_total\{platform="discord",code="50001"\} 1/);
  });
});

describe('Discord slash commands and components', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot(shared.runtime);
  });
  afterAll(async () => {
    await bot?.close();
  });

  const answerTo = (interactionId: string) =>
    bot.fake.waitFor(
      () => bot.fake.sent.find((s) => s.interactionId === interactionId && s.via !== 'deferred'),
      `the answer to interaction ${interactionId}`,
    );

  it('answers /ask privately in Thai when the Discord client is in Thai', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const somchai = user(fake.snowflake(), 'somchai');
    const asked = fake.runSlashCommand(
      somchai,
      'ask',
      [{ name: 'question', value: 'ต้องแต่งกายอย่างไรเมื่อไปเยี่ยมชมป้อมตำรวจ' }],
      { locale: 'th' },
    );
    const sent = await answerTo(asked.id);
    expect(sent.via).toBe('interaction-callback');
    expect(sent.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(sent.allowedMentions?.parse).toEqual([]);
    expect(sent.message.embeds[0]?.title).toBe(
      runtime.knowledge.faq.show('visit-dress-code', 'th')?.translation.title,
    );
    expect(languageMenu(sent)?.options.find((o) => o.default)?.value).toBe('th');
    expect(fake.requests).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: `/interactions/${asked.id}/${asked.token}/callback`,
        status: 204,
      }),
    );
  });

  it('answers a "did you mean" button with the suggested entry', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const dewi = user(fake.snowflake(), 'dewi');
    const dm = fake.sendDirectMessage(dewi, 'koban');
    const first = await fake.waitFor(() => fake.sentTo(dm.channel_id)[0], 'the first answer');
    const suggestion = buttons(first)[0];
    expect(suggestion?.custom_id).toMatch(/^koban:faq:/);
    const entryId = String(suggestion?.custom_id).replace('koban:faq:', '');
    const click = fake.clickComponent(dewi, first.message, String(suggestion?.custom_id));
    const sent = await answerTo(click.id);
    expect(sent.message.embeds[0]?.title).toBe(runtime.knowledge.faq.show(entryId, 'en')?.translation.title);
    // In a DM the answer stays in the conversation, not only for the clicker.
    expect(sent.flags & EPHEMERAL).toBe(0);
  });

  it('switches language from the select menu', async () => {
    const { fake } = bot;
    const kenji = user(fake.snowflake(), 'kenji');
    const asked = fake.runSlashCommand(kenji, 'ask', [{ name: 'question', value: 'What is a Koban?' }]);
    const answer = await answerTo(asked.id);
    const menu = languageMenu(answer);
    expect(menu?.options.map((o) => o.value)).toEqual(['en', 'ja', 'id', 'vi', 'th', 'tl', 'tr', 'fa']);
    const pick = fake.clickComponent(kenji, answer.message, String(menu?.custom_id), { values: ['ja'] });
    const sent = await answerTo(pick.id);
    expect(sent.message.embeds[0]?.description).toBe(
      shared.runtime.i18n.t('ja')('language.changed', { language: '日本語' }),
    );
    expect(sent.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('maps /language with a choice to the language command', async () => {
    const { fake } = bot;
    const putu = user(fake.snowflake(), 'putu');
    const asked = fake.runSlashCommand(putu, 'language', [{ name: 'code', value: 'id' }], {
      locale: 'en-US',
    });
    const sent = await answerTo(asked.id);
    expect(languageMenu(sent)?.options.find((o) => o.default)?.value).toBe('id');
  });

  it('records a handled interaction as taken, and leaves none for an interaction it ignores', async () => {
    const { fake } = bot;
    const { store } = shared.runtime;
    const rin = user(fake.snowflake(), 'rin');
    // A modal submission of a form this bot never opened: ignored.
    const ignored = fake.submitModal(rin, { data: { custom_id: 'another-app:form', components: [] } }, {});
    // A command this bot does not know: handled (with a notice), without the assistant.
    const asked = fake.runSlashCommand(rin, 'no-such-command');
    await answerTo(asked.id);
    expect(fake.sent.some((s) => s.interactionId === ignored.id)).toBe(false);
    const at = new Date();
    expect(await store.events.claim('discord', asked.id, at)).toBe(false);
    expect(await store.events.claim('discord', ignored.id, at)).toBe(true);
  });

  it('refuses a tampered button without asking the assistant', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const mallory = user(fake.snowflake(), 'mallory');
    const asked = fake.runSlashCommand(mallory, 'ask', [{ name: 'question', value: 'What is a Koban?' }]);
    const answer = await answerTo(asked.id);
    const click = fake.clickComponent(mallory, answer.message, 'koban:faq:../../etc/passwd');
    const sent = await answerTo(click.id);
    expect(sent.message.embeds[0]?.description).toBe(runtime.i18n.t('en', 'discord')('staleAction'));
  });

  describe('when the answer takes longer than Discord waits', () => {
    let slow: TestBot;
    beforeAll(async () => {
      slow = await startBot(shared.runtime, {
        wrap: (runtime) => ({
          ...runtime,
          assistant: {
            notice: runtime.assistant.notice.bind(runtime.assistant),
            handle: async (...args: Parameters<Runtime['assistant']['handle']>) => {
              await new Promise((r) => setTimeout(r, 3200));
              return runtime.assistant.handle(...args);
            },
          },
        }),
      });
    });
    afterAll(async () => {
      await slow?.close();
    });

    it('defers the interaction, then edits the answer in', async () => {
      const asked = slow.fake.runSlashCommand(user(slow.fake.snowflake(), 'rizal'), 'ask', [
        { name: 'question', value: 'What is a Koban?' },
      ]);
      const edited = await slow.fake.waitFor(
        () => slow.fake.sent.find((s) => s.interactionId === asked.id && s.via === 'edit-original'),
        'the edited answer',
      );
      const mine = slow.fake.sent.filter((s) => s.interactionId === asked.id);
      expect(mine.map((s) => s.via)).toEqual(['deferred', 'edit-original']);
      expect(mine[0]?.flags).toBe(EPHEMERAL);
      expect(edited.message.embeds[0]?.title).toBe(
        shared.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
      );
      expect(edited.allowedMentions?.parse).toEqual([]);
    });
  });
});

describe('rate limits on Discord', () => {
  let bot: TestBot;
  beforeAll(async () => {
    const limits = new MessageLimits(
      { userPoints: 3, userSeconds: 30, channelPoints: 0, channelSeconds: 60 },
      { logger: shared.runtime.logger },
    );
    bot = await startBot(shared.runtime, { wrap: (runtime) => ({ ...runtime, limits }) });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('answers three DMs, says once in the user language to slow down, then stays silent', async () => {
    const { fake } = bot;
    const ayu = user(fake.snowflake(), 'ayu');
    let channel = '';
    for (let i = 0; i < 6; i++)
      channel = fake.sendDirectMessage(ayu, 'Apa itu Koban dan apa tugasnya?').channel_id;
    await fake.waitFor(() => fake.sentTo(channel)[3], 'the notice');
    await new Promise((r) => setTimeout(r, 300));
    const sent = fake.sentTo(channel);
    expect(sent).toHaveLength(4);
    const notice = shared.runtime.i18n.t('id')('limits.tooFast', { seconds: 'X' }).split('X')[0] ?? '';
    expect(sent.filter((m) => shownText(m).includes(notice))).toHaveLength(1);
  });

  it('still answers a slash command past the limit, with the notice (Discord needs an answer)', async () => {
    const { fake } = bot;
    const budi = user(fake.snowflake(), 'budi');
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const asked = fake.runSlashCommand(budi, 'ask', [{ name: 'question', value: 'What is a Koban?' }]);
      const sent = await fake.waitFor(
        () => fake.sent.find((m) => m.interactionId === asked.id && m.via !== 'deferred'),
        `answer to interaction ${i}`,
      );
      answers.push(shownText(sent));
    }
    const notice = shared.runtime.i18n.t('en')('limits.tooFast', { seconds: 'X' }).split('X')[0] ?? '';
    expect(answers.map((a) => a.includes(notice))).toEqual([false, false, false, true, true]);
  });
});

describe('Discord connection', () => {
  let fake: FakeDiscordServer;
  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ heartbeatInterval: 200 });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('identifies with the four intents, resumes after op 7 and answers the next message', async () => {
    const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
    await adapter.start();
    try {
      const identify = fake.frames.find((f) => f.dir === 'in' && f.op === 2)?.d as
        | { intents: number }
        | undefined;
      // Guilds (1), GuildMessages (1<<9), DirectMessages (1<<12), MessageContent (1<<15).
      expect(identify?.intents).toBe(1 | (1 << 9) | (1 << 12) | MESSAGE_CONTENT);
      await fake.waitFor(() => fake.frames.some((f) => f.dir === 'out' && f.op === 11), 'a heartbeat ACK');

      fake.requestReconnect();
      const resume = await fake.waitFor(
        () => fake.frames.find((f) => f.dir === 'in' && f.op === 6),
        'RESUME',
      );
      expect(resume.connection).toBe(2);
      expect(fake.frames.filter((f) => f.dir === 'in' && f.op === 2)).toHaveLength(1);
      await fake.waitFor(() => fake.frames.find((f) => f.t === 'RESUMED'), 'RESUMED');

      const dm = fake.sendDirectMessage(user(fake.snowflake(), 'ana'), 'What is a Koban?');
      const sent = await fake.waitFor(() => fake.sentTo(dm.channel_id)[0], 'the answer after resuming');
      expect(sent.message.embeds[0]?.title).toBe(
        shared.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
      );
      await fake.waitFor(
        () => shared.logs.find((l) => l.msg === 'discord: session resumed'),
        'the resume log line',
      );
    } finally {
      await adapter.stop();
    }
  });

  it('replays a message sent while reconnecting, and answers it once', async () => {
    const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
    await adapter.start();
    try {
      const resumesBefore = fake.frames.filter((f) => f.dir === 'in' && f.op === 6).length;
      fake.requestReconnect();
      await fake.waitFor(() => !fake.connected, 'the client to close the old connection');
      const dm = fake.sendDirectMessage(user(fake.snowflake(), 'budi'), 'What is a Koban?');
      await fake.waitFor(() => fake.sentTo(dm.channel_id)[0], 'the replayed answer');
      const resumes = fake.frames.filter((f) => f.dir === 'in' && f.op === 6);
      expect(resumes.length).toBe(resumesBefore + 1);
      const delivered = fake.frames.filter(
        (f) => f.dir === 'out' && f.t === 'MESSAGE_CREATE' && (f.d as { id: string }).id === dm.id,
      );
      expect(delivered.map((f) => f.connection)).toEqual([resumes.at(-1)?.connection]);
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.sentTo(dm.channel_id)).toHaveLength(1);
    } finally {
      await adapter.stop();
    }
  });

  it('names DISCORD_TOKEN when Discord rejects the token', async () => {
    const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake, { token: 'not-the-token' }));
    const error = await adapter.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(DiscordStartError);
    expect(error).toMatchObject({ code: 'DISCORD_TOKEN_INVALID' });
    expect(String((error as Error).message)).toContain('DISCORD_TOKEN');
    await adapter.stop();
  });

  it('names DISCORD_TOKEN when it is not set', async () => {
    const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake, { token: undefined }));
    await expect(adapter.start()).rejects.toMatchObject({
      code: 'DISCORD_TOKEN_MISSING',
      message: expect.stringContaining('DISCORD_TOKEN'),
    });
  });

  it('falls back to mentions and DMs when the Message Content intent is not enabled', async () => {
    const strict = await FakeDiscordServer.start({ messageContentAllowed: false });
    const adapter = createDiscordAdapter(pointedAt(shared.runtime, strict));
    try {
      await adapter.start();
      const identifies = strict.frames.filter((f) => f.dir === 'in' && f.op === 2);
      expect(identifies.map((f) => Boolean((f.d as { intents: number }).intents & MESSAGE_CONTENT))).toEqual([
        true,
        false,
      ]);
      strict.sendGuildMessage(user(strict.snowflake(), 'nguyen'), `<@${strict.bot.id}> What is a Koban?`, {
        mentions: [strict.bot],
      });
      await strict.waitFor(() => strict.sentTo(strict.channels.general)[0], 'the answer to the mention');
      expect(shared.logs.some((l) => String(l.msg).includes('Message Content intent is not enabled'))).toBe(
        true,
      );
    } finally {
      await adapter.stop();
      await strict.close();
    }
  });
});
