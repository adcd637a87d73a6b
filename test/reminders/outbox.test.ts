/**
 * Reminders through the outbox, end to end with the real `@slack/bolt` and `discord.js` clients
 * against the fake servers: timetable reminders reach the course channels in their languages,
 * personal reminders reach the trainee's DM, and a schedule change moves the pending rows and posts
 * the change notice once. The clock is injected; the process runs in another time zone.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { loadConfig } from '../../src/config.js';
import type { Adapter } from '../../src/core/adapter.js';
import { entries } from '../../src/engines/announcements/outbox.js';
import { ScheduleService } from '../../src/engines/schedule/schedule-service.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { pointedAt } from '../discord/bot.js';
import { FakeDiscordServer, user } from '../fakes/discord-server.js';
import { FakeSlackServer } from '../fakes/slack-server.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { testEnv } from '../slack/harness.js';

const COURSE = 'koban-seminar-2027';
const VISIT = 'koban-visit-shinjuku'; // Wednesday 20 January 2027, 09:00 in Tokyo (00:00 UTC)
const KEY_12H = `reminder:${COURSE}:${VISIT}:720m`;
const KEY_45M = `reminder:${COURSE}:${VISIT}:45m`;
const TRAINEE = user('777000111', 'trainee');

describe('reminders through the outbox on Slack and Discord', () => {
  let slackFake: FakeSlackServer;
  let discordFake: FakeDiscordServer;
  let runtime: Runtime;
  let slack: SlackAdapter;
  let discord: Adapter;
  let kdir: string;
  let channel: string;
  let now = new Date('2027-01-19T11:00:00Z'); // Tuesday 20:00 in Tokyo
  const previousTz = process.env.TZ;

  beforeAll(async () => {
    process.env.TZ = 'America/New_York';
    kdir = join(mkdtempSync(join(tmpdir(), 'koban-remind-kb-')), 'knowledge');
    cpSync(REPO_KNOWLEDGE, kdir, { recursive: true });
    slackFake = await FakeSlackServer.start();
    discordFake = await FakeDiscordServer.start();
    channel = discordFake.channels.general;
    const env = testEnv(slackFake, 'socket', {
      KOBAN_KNOWLEDGE: kdir,
      KOBAN_CHANNEL_COURSES: `slack:C0KOBAN=${COURSE},discord:${channel}=${COURSE}`,
      KOBAN_CHANNEL_LANGUAGES: `slack:C0KOBAN=id+en,discord:${channel}=vi`,
    });
    runtime = await createRuntime(loadConfig(env), { clock: () => now, reminderSink: 'outbox' });
    slack = createSlackAdapter(runtime);
    await slack.start();
    discord = createDiscordAdapter(pointedAt(runtime, discordFake));
    await discord.start();
  }, 180_000);

  afterAll(async () => {
    process.env.TZ = previousTz;
    await slack?.stop();
    await discord?.stop();
    await runtime?.close();
    await slackFake?.close();
    await discordFake?.close();
  });

  const slackPosts = (ch: string) =>
    (slackFake.history.get(ch) ?? []).map((m) => `${String(m.text)} ${JSON.stringify(m.blocks)}`);
  const discordPosts = (ch: string) => {
    const latest = new Map<string, APIMessage>();
    for (const s of discordFake.sentTo(ch))
      if (s.via === 'channel' || s.via === 'edit') latest.set(s.message.id, s.message);
    return [...latest.values()].map((m) => JSON.stringify(m.embeds));
  };
  const rows = async (key: string) =>
    (await entries(runtime.store, key)).map((e) => ({ target: e.target, state: e.state, dueAt: e.dueAt }));

  it('plans the timetable reminders as outbox rows, one per channel, due at the right minute', async () => {
    expect(await rows(KEY_12H)).toEqual([
      { target: 'slack:C0KOBAN', state: 'pending', dueAt: '2027-01-19T12:00:00.000Z' },
      { target: `discord:${channel}`, state: 'pending', dueAt: '2027-01-19T12:00:00.000Z' },
    ]);
    expect((await rows(KEY_45M)).map((r) => r.dueAt)).toEqual([
      '2027-01-19T23:15:00.000Z',
      '2027-01-19T23:15:00.000Z',
    ]);
  });

  it('sends the 12-hour reminder at 21:00 Tokyo time, not a minute before, in each channel’s languages', async () => {
    expect(await runtime.outbox.runOnce(new Date('2027-01-19T11:59:00Z'))).toBe(0);
    expect(await runtime.outbox.runOnce(new Date('2027-01-19T12:00:00Z'))).toBe(2);
    expect(await runtime.outbox.runOnce(new Date('2027-01-19T12:01:00Z'))).toBe(0);
    const [onSlack, ...moreSlack] = slackPosts('C0KOBAN');
    expect(moreSlack).toEqual([]);
    expect(onSlack).toContain('Kunjungan lapangan ke Koban: Shinjuku Station East Koban');
    expect(onSlack).toContain('Koban site visit: Shinjuku Station East Koban');
    const [onDiscord, ...moreDiscord] = discordPosts(channel);
    expect(moreDiscord).toEqual([]);
    expect(onDiscord).toContain('Tham quan thực tế Koban');
    expect(onDiscord).not.toContain('Koban site visit');
  });

  it('a schedule change moves the pending reminders, and the change notice goes out once', async () => {
    now = new Date('2027-01-19T12:30:00Z');
    const scheduler = runtime.reminders;
    if (!scheduler) throw new Error('the runtime should plan reminders');
    // Two personal reminders, 30 minutes before the visit: one on Discord (Turkish), one on Slack (Japanese).
    for (const [userKey, lang] of [
      [`discord:${TRAINEE.id}`, 'tr'],
      ['slack:U0TRAINEE', 'ja'],
    ] as const) {
      const added = await runtime.store.reminders.add({
        userKey,
        courseId: COURSE,
        sessionId: VISIT,
        offsetMinutes: 30,
        lang,
      });
      await scheduler.addPersonal(added);
    }

    const before = new ScheduleService(kdir, silentLogger()).courses;
    const file = join(kdir, 'schedules', `${COURSE}.yaml`);
    const yaml = readFileSync(file, 'utf8');
    const moved = yaml.replace(
      `id: ${VISIT}\n    date: 2027-01-20\n    start: "09:00"`,
      `id: ${VISIT}\n    date: 2027-01-20\n    start: "10:00"`,
    );
    expect(moved).not.toBe(yaml);
    writeFileSync(file, moved);
    runtime.knowledge.reload();
    await scheduler.idle();

    expect((await rows(KEY_45M)).map((r) => [r.state, r.dueAt])).toEqual([
      ['pending', '2027-01-20T00:15:00.000Z'],
      ['pending', '2027-01-20T00:15:00.000Z'],
    ]);
    // The change notice: both channels and both trainees with a personal reminder, now.
    expect(await runtime.outbox.runOnce(now)).toBe(4);
    expect(slackPosts('C0KOBAN').at(-1)).toContain('10:00');
    expect(discordPosts(channel).at(-1)).toContain('10:00');
    const dm = discordFake.dmChannelOf(TRAINEE);
    expect(discordPosts(dm)).toHaveLength(1);
    expect(slackPosts('D0TRAINEE')).toHaveLength(1);

    // The same change reported again (another instance, a second reload) posts nothing more.
    now = new Date('2027-01-19T12:31:00Z');
    const after = new ScheduleService(kdir, silentLogger()).courses;
    const again = await scheduler.reloaded(before, after);
    expect(again.changes).toHaveLength(1);
    expect(await runtime.outbox.runOnce(new Date('2027-01-19T12:31:00Z'))).toBe(0);

    // The 12-hour reminder for the new time (13:00 UTC), then the moved 45-minute one, then the personal ones.
    expect(await runtime.outbox.runOnce(new Date('2027-01-19T23:15:00Z'))).toBe(2);
    expect(await runtime.outbox.runOnce(new Date('2027-01-20T00:14:00Z'))).toBe(0);
    expect(await runtime.outbox.runOnce(new Date('2027-01-20T00:15:00Z'))).toBe(2);
    expect(await runtime.outbox.runOnce(new Date('2027-01-20T00:29:00Z'))).toBe(0);
    expect(await runtime.outbox.runOnce(new Date('2027-01-20T00:30:00Z'))).toBe(2);
    const [, personalTr] = discordPosts(dm);
    expect(personalTr).toContain('Koban saha ziyareti');
    expect(personalTr).toContain('10:00');
    const [, personalJa] = slackPosts('D0TRAINEE');
    expect(personalJa).toContain('交番実習：新宿駅東口交番');
    expect(slackPosts('C0KOBAN')).toHaveLength(4);
    expect(discordPosts(channel)).toHaveLength(4);
  });
});
