/**
 * Announcements end to end with the real `@slack/bolt` and `discord.js` clients against the fake
 * servers: one runtime, both adapters, the outbox worker driven with an explicit time.
 */
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { loadConfig } from '../../src/config.js';
import type { Adapter } from '../../src/core/adapter.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { pointedAt } from '../discord/bot.js';
import { FakeDiscordServer, user } from '../fakes/discord-server.js';
import { blockActions } from '../fakes/slack-payloads.js';
import { FakeSlackServer } from '../fakes/slack-server.js';
import { testEnv } from '../slack/harness.js';

const COORDINATOR = { platform: 'slack', userId: 'UCOORD' };
const later = (ms: number) => new Date(Date.now() + ms);

describe('announcements on Slack and Discord', () => {
  let slackFake: FakeSlackServer;
  let discordFake: FakeDiscordServer;
  let runtime: Runtime;
  let slack: SlackAdapter;
  let discord: Adapter;
  let koban: string;
  let crim: string;

  beforeAll(async () => {
    slackFake = await FakeSlackServer.start();
    discordFake = await FakeDiscordServer.start();
    koban = discordFake.channels.general;
    crim = discordFake.channels.trainees;
    const env = testEnv(slackFake, 'socket', {
      KOBAN_COORDINATORS: 'slack:UCOORD',
      KOBAN_CHANNEL_COURSES: `slack:C0KOBAN=koban-seminar-2027,discord:${koban}=koban-seminar-2027,slack:C0CRIM=crim-id-2027,discord:${crim}=crim-id-2027`,
      KOBAN_CHANNEL_LANGUAGES: `slack:C0KOBAN=id+en,discord:${koban}=vi,slack:C0CRIM=tr`,
    });
    runtime = await createRuntime(loadConfig(env));
    slack = createSlackAdapter(runtime);
    await slack.start();
    discord = createDiscordAdapter(pointedAt(runtime, discordFake));
    await discord.start();
  }, 120_000);

  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
    await runtime?.close();
    await slackFake?.close();
    await discordFake?.close();
  });

  const slackText = (channel: string) =>
    (slackFake.history.get(channel) ?? []).map((m) => `${String(m.text)} ${JSON.stringify(m.blocks)}`);
  /** The bot's current messages in a Discord channel (edits applied), as text. */
  const discordText = (channel: string) => {
    const latest = new Map<string, APIMessage>();
    for (const s of discordFake.sentTo(channel))
      if (s.via === 'channel' || s.via === 'edit') latest.set(s.message.id, s.message);
    return [...latest.values()].map((m) => JSON.stringify(m.embeds));
  };

  it('sends one announcement to two courses exactly once per channel, in each channel’s languages', async () => {
    const created = await runtime.announcements.create(
      {
        audience: { courses: ['koban-seminar-2027', 'crim-id-2027'] },
        text: {
          en: 'The bus to the Koban leaves at 8:15, not 8:30.',
          vi: 'Xe buýt đến Koban khởi hành lúc 8:15.',
        },
      },
      COORDINATOR,
    );
    expect(created).toMatchObject({ ok: true, id: 'A-1' });
    expect(await runtime.outbox.runOnce(later(1000))).toBe(4);
    expect(await runtime.outbox.runOnce(later(2000))).toBe(0);

    // Slack, Indonesian first: no Indonesian version, so the English original with a note in Indonesian.
    const [kobanSlack, ...moreKoban] = slackText('C0KOBAN');
    expect(moreKoban).toEqual([]);
    expect(kobanSlack).toContain('The bus to the Koban leaves at 8:15');
    expect(kobanSlack).toContain(
      runtime.i18n.t('id', 'announcements')('note.originalOnly', { language: 'English' }),
    );
    const [crimSlack, ...moreCrim] = slackText('C0CRIM');
    expect(moreCrim).toEqual([]);
    expect(crimSlack).toContain(
      runtime.i18n.t('tr', 'announcements')('note.originalOnly', { language: 'English' }),
    );
    // Discord: the Vietnamese version for the Vietnamese channel; English where none is configured.
    const [kobanDiscord, ...moreDiscord] = discordText(koban);
    expect(moreDiscord).toEqual([]);
    expect(kobanDiscord).toContain('Xe buýt đến Koban');
    expect(kobanDiscord).not.toContain('The bus to the Koban');
    expect(discordText(crim)).toHaveLength(1);
    expect(discordText(crim)[0]).toContain('The bus to the Koban leaves at 8:15');

    const status = await runtime.announcements.status('A-1');
    expect(status?.targets.map((t) => t.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(status?.status).toBe('sent');
  });

  it('a correction and then a withdrawal reach every copy on both platforms', async () => {
    const corrected = await runtime.announcements.correct(
      'A-1',
      { text: { en: 'The bus to the Koban leaves at 8:00.', vi: 'Xe buýt khởi hành lúc 8:00.' } },
      COORDINATOR,
    );
    expect(corrected).toMatchObject({ ok: true, edited: 4 });
    expect(await runtime.outbox.runOnce(later(3000))).toBe(4);
    expect(slackFake.callsTo('chat.update', { ok: true })).toHaveLength(2);
    expect(slackText('C0KOBAN')).toHaveLength(1);
    expect(slackText('C0KOBAN')[0]).toContain('8:00');
    expect(slackText('C0CRIM')[0]).toContain('8:00');
    expect(discordText(koban)).toHaveLength(1);
    expect(discordText(koban)[0]).toContain('Xe buýt khởi hành lúc 8:00.');
    expect(discordText(crim)[0]).toContain('8:00');

    expect(await runtime.announcements.withdraw('A-1', COORDINATOR)).toMatchObject({ ok: true, edited: 4 });
    expect(await runtime.outbox.runOnce(later(4000))).toBe(4);
    const withdrawn = (lang: 'id' | 'tr' | 'vi' | 'en') =>
      runtime.i18n.t(lang, 'announcements')('revision.withdrawn');
    expect(slackText('C0KOBAN')[0]).toContain(withdrawn('id'));
    expect(slackText('C0CRIM')[0]).toContain(withdrawn('tr'));
    expect(discordText(koban)[0]).toContain(withdrawn('vi'));
    expect(discordText(crim)[0]).toContain(withdrawn('en'));
    expect(discordText(koban)).toHaveLength(1);
  });

  it("waits out Slack's Retry-After and Discord's retry_after, then delivers once", async () => {
    slackFake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    discordFake.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 0.3);
    const created = await runtime.announcements.create(
      {
        audience: { channels: ['slack:C0RATE', `discord:${crim}`] },
        text: { en: 'Dress: uniform tomorrow.' },
      },
      COORDINATOR,
    );
    if (!created.ok) throw new Error('expected the announcement to be created');
    const before = discordText(crim).length;
    const now = later(5000);
    expect(await runtime.outbox.runOnce(now)).toBe(2);
    let status = await runtime.announcements.status(created.id);
    expect(status?.targets.map((t) => [t.target, t.state, t.error])).toEqual([
      ['slack:C0RATE', 'pending', 'ratelimited'],
      [`discord:${crim}`, 'sent', undefined],
    ]);
    // discord.js itself waited retry_after and sent again: one message.
    expect(discordFake.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(discordText(crim)).toHaveLength(before + 1);
    expect(await runtime.outbox.runOnce(new Date(now.getTime() + 29_000))).toBe(0);
    expect(await runtime.outbox.runOnce(new Date(now.getTime() + 30_000))).toBe(1);
    status = await runtime.announcements.status(created.id);
    expect(status?.targets[0]?.state).toBe('sent');
    expect(slackText('C0RATE')).toHaveLength(1);
  });

  it('records "OK, got it" per target and person on both platforms, thanking privately', async () => {
    const created = await runtime.announcements.create(
      {
        audience: { channels: ['slack:C0OK', `discord:${koban}`] },
        text: { en: 'Meet at the main gate at 7:45.' },
      },
      COORDINATOR,
    );
    if (!created.ok) throw new Error('expected the announcement to be created');
    await runtime.outbox.runOnce(later(60_000));

    // Slack: the button on the posted message, clicked twice by one trainee and once by another.
    const [posted] = slackFake.history.get('C0OK') ?? [];
    const blocks = JSON.stringify(posted?.blocks);
    const button = (JSON.parse(blocks) as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value?.includes('announce-confirm'));
    if (!button || !posted) throw new Error('expected an "OK, got it" button');
    const click = async (who: string) => {
      await slackFake.send(
        'interactive',
        blockActions({
          user: who,
          channel: 'C0OK',
          button,
          responseUrl: slackFake.responseUrl(),
          message: { ts: posted.ts },
        }),
      );
      await slack.idle();
    };
    await click('U0DEWI');
    await click('U0DEWI');
    await click('U0RIZAL');
    const thanked = slackFake.callsTo('chat.postEphemeral').map((c) => [c.args.user, String(c.args.text)]);
    expect(thanked).toHaveLength(3);
    expect(thanked[0]?.[1]).toContain(
      runtime.i18n.t('en', 'announcements')('confirm.thanks', { ref: created.id }),
    );
    expect(thanked[1]?.[1]).toContain(
      runtime.i18n.t('en', 'announcements')('confirm.already', { ref: created.id }),
    );
    expect(slackFake.history.get('C0OK')).toHaveLength(1);

    // Discord: the button under the embed; the answer is ephemeral.
    const message = discordFake
      .sentTo(koban)
      .filter((m) => m.via === 'channel')
      .map((m) => m.message)
      .find((m) => JSON.stringify(m.components).includes(`koban:ok:${created.id}`));
    if (!message) throw new Error('expected the Discord copy with its button');
    const state = discordFake.clickComponent(user('9001', 'linh'), message, `koban:ok:${created.id}`);
    const answer = await discordFake.waitFor(
      () => discordFake.sent.find((m) => m.interactionId === state.id && m.via !== 'deferred'),
      'the answer to the click',
    );
    expect(answer.flags & 64).toBe(64);

    const status = await runtime.announcements.status(created.id);
    expect(status?.targets.map((t) => [t.target, t.confirmedBy])).toEqual([
      ['slack:C0OK', ['slack:U0DEWI', 'slack:U0RIZAL']],
      [`discord:${koban}`, ['discord:9001']],
    ]);

    // In chat: a coordinator asks who has not confirmed; anyone else is refused and audited.
    const ask = (userId: string) =>
      runtime.assistant.handle({
        platform: 'slack',
        userId,
        channelId: 'D0CHAT',
        text: `who has not confirmed ${created.id}?`,
        direct: true,
      });
    const answer2 = await ask('UCOORD');
    expect(answer2.intent).toBe('announce');
    expect(answer2.title).toBe(runtime.i18n.t('en', 'announcements')('status.title', { ref: created.id }));
    expect(answer2.text).toContain('slack:C0OK: 2 confirmed (slack:U0DEWI, slack:U0RIZAL)');
    const refused = await ask('U0DEWI');
    expect(refused.text).toBe(runtime.i18n.t('en', 'announcements')('status.refused'));
    expect(await runtime.store.audit.list()).toContainEqual(
      expect.objectContaining({ actor: 'slack:U0DEWI', action: 'announce.status', outcome: 'refused' }),
    );
  });
});
