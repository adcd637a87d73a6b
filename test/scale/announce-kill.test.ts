/**
 * Two `koban start` processes against one PostgreSQL server and the fake Slack and Discord: an
 * announcement to 20 course channels (10 Slack, 10 Discord), queued with `koban announce create` as
 * a coordinator does, is being sent when the Discord gateway holder is killed with SIGKILL. The
 * fakes answer each post late, and the kill lands right after a post was taken but before its answer
 * came back: the other instance takes the gateway, resumes the dead one's deliveries once their
 * lease expires, finds the post already there, and every channel gets the announcement exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDiscordServer } from '../fakes/discord-server.js';
import { APP_TOKEN, BOT_TOKEN, FakeSlackServer } from '../fakes/slack-server.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { type Instance, killInstances, startInstance, until } from '../helpers/instances.js';
import { freshDatabase, postgresUrl } from '../helpers/postgres.js';
import { koban } from '../helpers/spawn.js';

afterAll(killInstances);

const COURSE = 'koban-seminar-2027';
const CHANNELS = 10;
/** In the announcement's text: what the fakes' stored messages are searched for. */
const MARK = 'kill-test-7f3a';
/** How late the fakes answer each post (ms): the kill lands inside this window. */
const SLOW_MS = 150;

describe.skipIf(!postgresUrl())(
  'an announcement while an instance is killed (two instances, PostgreSQL)',
  () => {
    it('posts to each of 20 channels exactly once when the sending instance dies mid-send', async () => {
      const slack = await FakeSlackServer.start();
      const discord = await FakeDiscordServer.start({ courseChannels: CHANNELS });
      const database = await freshDatabase();
      const slackChannels = Array.from(
        { length: CHANNELS },
        (_, i) => `C0COURSE${String(i).padStart(2, '0')}`,
      );
      const discordChannels = discord.courseChannels;
      const courses = slackChannels.flatMap((s, i) => [
        `slack:${s}=${COURSE}`,
        `discord:${discordChannels[i] ?? ''}=${COURSE}`,
      ]);
      const env = {
        KOBAN_DATABASE_URL: database,
        KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
        KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-announce-kill-')),
        LOG_LEVEL: 'info',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_APPLICATION_ID: discord.applicationId,
        KOBAN_COORDINATORS: 'slack:UCOORD',
        KOBAN_CHANNEL_COURSES: courses.join(','),
        // Short, so the dead instance's deliveries are resumed within seconds, yet longer than a
        // batch of slowed sends takes on a loaded machine (or a living instance's could be taken).
        KOBAN_OUTBOX_LEASE_SECONDS: '10',
        KOBAN_OUTBOX_POLL_MS: '200',
        KOBAN_GATEWAY_POLL_MS: '500',
      };
      const slackCopies = (channel: string) =>
        (slack.history.get(channel) ?? []).filter((m) => JSON.stringify([m.text, m.blocks]).includes(MARK))
          .length;
      const discordCopies = (channel: string) =>
        discord.sentTo(channel).filter((s) => s.via === 'channel' && JSON.stringify(s.message).includes(MARK))
          .length;
      const copies = () => [...slackChannels.map(slackCopies), ...discordChannels.map(discordCopies)];
      const db = new pg.Client({ connectionString: database });
      try {
        const t0 = Date.now();
        const both = [startInstance(env), startInstance(env)];
        const running = (i: Instance) => i.log().includes('"msg":"starting"');
        await until(() => both.every(running), 'both instances', 200_000);
        await until(
          () => discord.connected && slack.openConnections().length === 2,
          'the connections',
          30_000,
        );
        const identifies = () => discord.frames.filter((f) => f.dir === 'in' && f.op === 2).length;
        expect(identifies()).toBe(1);
        // A: the gateway holder, the only one that can send the Discord posts; B stands by.
        const holds = (i: Instance) => i.log().includes('this instance holds the gateway');
        const [a, b] =
          both.filter(holds).length === 1
            ? [...both].sort((x, y) => Number(holds(y)) - Number(holds(x)))
            : [];
        if (!a || !b) throw new Error('expected exactly one gateway holder');
        const started = Date.now() - t0;

        slack.slowDown('chat.postMessage', SLOW_MS);
        discord.slowDown('POST', /^\/channels\/\d+\/messages$/, SLOW_MS);
        const created = await koban(['announce', 'create', '--json', '-', '--by', 'slack:UCOORD'], {
          input: JSON.stringify({
            audience: { courses: [COURSE] },
            text: { en: `The bus leaves at 8:15, not 8:30 (${MARK}).` },
          }),
          env,
        });
        expect(created.stderr).toBe('');
        expect(JSON.parse(created.stdout)).toMatchObject({ id: 'A-1' });
        const queued = Date.now() - t0;

        // Kill A the moment Discord has taken its third post, before the answer reaches A.
        const discordPosted = () => discordChannels.reduce((n, c) => n + discordCopies(c), 0);
        await until(() => discordPosted() >= 3, 'A to be sending', 60_000);
        a.child.kill('SIGKILL');
        const killedAt = Date.now();
        const postedAtKill = copies().reduce((n, v) => n + v, 0);
        expect(postedAtKill).toBeLessThan(2 * CHANNELS);

        await until(() => identifies() === 2 && discord.connected, 'B to take over the gateway', 30_000);
        await db.connect();
        const states = async () =>
          (
            await db.query<{ state: string; error: string | null; message_id: string | null }>(
              "select state, error, message_id from outbox where ref_id = 'A-1' order by id",
            )
          ).rows;
        let rows = await states();
        expect(rows).toHaveLength(2 * CHANNELS);
        const deadline = Date.now() + 60_000;
        while (rows.some((r) => r.state !== 'sent' && r.state !== 'failed') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          rows = await states();
        }
        const resumedMs = Date.now() - killedAt;
        // A moment for a stray second post to show up, if there were one.
        await new Promise((r) => setTimeout(r, 1000));

        expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
        expect(rows.every((r) => r.error === null && r.message_id !== null)).toBe(true);
        expect(copies()).toEqual(Array.from({ length: 2 * CHANNELS }, () => 1));
        // The post Discord took as A died was found by B in the channel, not posted again.
        expect(b.log()).toContain('outbox: already on the platform; recording it');
        process.stderr.write(
          `[announce kill] both up after ${started} ms, queued at ${queued} ms; ${postedAtKill} of ${2 * CHANNELS} posted when A was killed; B finished the rest ${resumedMs} ms later\n`,
        );
        b.child.kill('SIGTERM');
      } finally {
        killInstances();
        await db.end().catch(() => undefined);
        await slack.close();
        await discord.close();
      }
    }, 300_000);
  },
);
