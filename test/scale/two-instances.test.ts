/**
 * Two `koban start` processes against one PostgreSQL server, the fake Slack (Socket Mode, one
 * connection per instance) and the fake Discord: every message answered exactly once, Slack's
 * retries answered once, and after a kill -9 of the Discord gateway holder the other instance
 * takes the gateway over within 30 s and, by its catch-up, answers every Discord message once:
 * none twice, none lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDiscordServer, user } from '../fakes/discord-server.js';
import { directMessage, eventCallback } from '../fakes/slack-payloads.js';
import { APP_TOKEN, BOT_TOKEN, FakeSlackServer } from '../fakes/slack-server.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { killInstances, startInstance, until } from '../helpers/instances.js';
import { freshDatabase, postgresUrl } from '../helpers/postgres.js';

afterAll(killInstances);

const USERS = 50;
const QUESTION = 'What is a Koban?';

describe.skipIf(!postgresUrl())('two instances on one PostgreSQL', () => {
  it('answers 1,000 messages from 50 users once, and survives a kill -9 of the Discord gateway holder', async () => {
    const slack = await FakeSlackServer.start();
    const discord = await FakeDiscordServer.start();
    const data = mkdtempSync(join(tmpdir(), 'koban-scale-'));
    const env = {
      KOBAN_DATABASE_URL: await freshDatabase(),
      KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
      // Shared only for the index cache: the second instance starts on the first one's index.
      KOBAN_DATA_DIR: data,
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: discord.applicationId,
      KOBAN_USER_LIMIT: '0',
      KOBAN_CHANNEL_LIMIT: '0',
      // The new holder answers what the killed one had taken or never received.
      KOBAN_DISCORD_CATCHUP_MINUTES: '10',
    };
    try {
      const a = startInstance(env);
      await until(() => discord.connected && slack.openConnections().length === 1, 'instance A', 120_000);
      const b = startInstance(env);
      await until(() => slack.openConnections().length === 2, 'instance B on Slack', 120_000);
      await until(() => b.log().includes('"msg":"starting"'), 'instance B running', 30_000);
      const identifies = () => discord.frames.filter((f) => f.dir === 'in' && f.op === 2).length;
      // B stands by: it never identified on the gateway.
      expect(identifies()).toBe(1);

      const slackUser = (i: number) => `U0SCALE${String(i).padStart(3, '0')}`;
      const discordUsers = Array.from({ length: USERS }, (_, i) =>
        user(`90000000000000${100 + i}`, `trainee${i}`),
      );
      const slackSent = new Map<string, number>();
      const discordSent = new Map<string, number>();
      const slackAnswers = (u: string) =>
        slack.posts().filter((p) => p.args.channel === `D0${u.slice(1)}`).length;
      const discordAnswers = (i: number) => {
        const who = discordUsers[i];
        return who ? discord.sentTo(discord.dmChannelOf(who)).length : 0;
      };
      const sendSlack = (i: number, connection: number) => {
        const u = slackUser(i % USERS);
        const event = eventCallback(directMessage(u, QUESTION));
        slack.spread(event, connection);
        slackSent.set(u, (slackSent.get(u) ?? 0) + 1);
        return event;
      };
      const sendDiscord = (i: number) => {
        const who = discordUsers[i % USERS];
        if (!who) return;
        discord.sendDirectMessage(who, QUESTION);
        discordSent.set(who.id, (discordSent.get(who.id) ?? 0) + 1);
      };
      const slackTotal = () => [...slackSent.keys()].reduce((n, u) => n + slackAnswers(u), 0);
      const discordTotal = () => discordUsers.reduce((n, _u, i) => n + discordAnswers(i), 0);

      // 1. 400 messages while both run; Slack spreads them over both connections and retries 50.
      const retried: Record<string, unknown>[] = [];
      for (let i = 0; i < 200; i++) {
        const event = sendSlack(i, i);
        if (i % 4 === 0) retried.push(event);
        sendDiscord(i);
      }
      for (const [i, event] of retried.entries()) slack.spread(event, i + 1, 1);
      await until(() => slackTotal() >= 200 && discordTotal() >= 200, 'the first 400 answers', 90_000);
      await new Promise((r) => setTimeout(r, 1000));
      for (const [u, n] of slackSent) expect(slackAnswers(u), u).toBe(n);
      for (const [i, u] of discordUsers.entries())
        expect(discordAnswers(i), u.id).toBe(discordSent.get(u.id) ?? 0);
      const answeredBefore = discordUsers.map((_u, i) => discordAnswers(i));

      // 2. Discord messages from users 0-9 in flight, then kill -9 the gateway holder (A).
      for (let i = 0; i < 100; i++) sendDiscord(i % 10);
      const early = () => answeredBefore.slice(0, 10).reduce((n, v) => n + v, 0);
      const answeringNow = () => discordUsers.slice(0, 10).reduce((n, _u, i) => n + discordAnswers(i), 0);
      // Killed mid-traffic: some of the 100 answered, others taken or still queued.
      await until(() => answeringNow() - early() >= 20, 'A to be answering', 30_000);
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      // Slack goes on over B's connection meanwhile.
      await until(() => slack.openConnections().length === 1, "A's Slack connection to close", 10_000);
      for (let i = 0; i < 300; i++) sendSlack(i, 0);
      await until(() => identifies() === 2 && discord.connected, 'B to take over the gateway', 30_000);
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(30_000);

      // 3. 200 more Discord messages from users 10-49 after the takeover.
      for (let i = 0; i < 200; i++) sendDiscord(10 + (i % 40));
      await until(() => slackTotal() >= 500, 'the Slack answers', 90_000);
      await until(
        () => discordUsers.every((u, i) => discordAnswers(i) === (discordSent.get(u.id) ?? 0)),
        'the Discord answers after the takeover, the caught-up ones included',
        90_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const sent = [...slackSent.values(), ...discordSent.values()].reduce((n, v) => n + v, 0);
      expect(sent).toBe(1000);
      // Exactly once everywhere: the Discord messages A had taken when it died (and any sent before
      // B connected) were taken over by B's catch-up; one A had already answered was not posted again.
      for (const [u, n] of slackSent) expect(slackAnswers(u), u).toBe(n);
      for (const [i, u] of discordUsers.entries())
        expect(discordAnswers(i), u.id).toBe(discordSent.get(u.id));
      const caughtUp = /"msg":"discord: caught up on messages written while disconnected"/;
      const catchUpLine = () =>
        b
          .log()
          .split('\n')
          .find((l) => caughtUp.test(l));
      await until(() => catchUpLine() !== undefined, "the end of B's catch-up", 60_000);
      const line = catchUpLine();
      const handled = /"handled":(\d+)/.exec(line ?? '')?.[1];
      process.stderr.write(
        `[two instances] gateway takeover ${takeoverMs} ms; ${handled} Discord message(s) caught up by the new holder, none lost\n`,
      );
      b.child.kill('SIGTERM');
    } finally {
      killInstances();
      await slack.close();
      await discord.close();
    }
  }, 300_000);
});
