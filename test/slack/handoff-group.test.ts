/** Hand-off with coordinators by Slack user group (KOBAN_SLACK_COORDINATOR_GROUP), real Bolt against the fake Slack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelMessage, directMessage } from '../fakes/slack-payloads.js';
import { closeSlackRuntime, type SlackHarness, shown, startSlack } from './harness.js';

// One runtime per test file: this file's coordinators are the group alone.
afterAll(closeSlackRuntime);

const COORD_CHANNEL = 'C0COORDS3';
const TRAINEE = 'U0TRAINEE';
const STRANGER = 'U0STRANGE';

describe('hand-off on Slack with coordinators by user group (KOBAN_SLACK_COORDINATOR_GROUP)', () => {
  const GROUP = 'S0HANDOFF1';
  const MEMBER = 'U0GRPMEMB1';
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack('socket', {
      env: { KOBAN_SLACK_COORDINATOR_GROUP: GROUP, KOBAN_COORDINATOR_CHANNELS: `slack:${COORD_CHANNEL}` },
    });
    slack.fake.userGroups.set(GROUP, ['U0SOMEONE1', MEMBER]);
  }, 120_000);
  afterAll(async () => {
    await slack?.close();
  });

  it("relays and closes for the group's members (read with usergroups.users.list), not for others", async () => {
    const opened = slack.fake.calls.length;
    await slack.event(directMessage(TRAINEE, 'I want to talk to a person please'));
    // The post is edited once with its Close button: the edit names the thread's ts.
    const edit = slack.fake.calls
      .slice(opened)
      .find((c) => c.ok && c.method === 'chat.update' && c.args.channel === COORD_CHANNEL);
    const threadTs = String(edit?.args.ts);
    const dmsAfter = async (work: () => Promise<unknown>) => {
      const before = slack.fake.calls.length;
      await work();
      return slack.fake.calls
        .slice(before)
        .filter((c) => c.ok && c.method.startsWith('chat.') && String(c.args.channel).startsWith('D'));
    };
    const stranger = await dmsAfter(() =>
      slack.event(channelMessage(STRANGER, COORD_CHANNEL, 'not relayed', { thread_ts: threadTs })),
    );
    expect(stranger).toEqual([]);
    const relayed = await dmsAfter(() =>
      slack.event(channelMessage(MEMBER, COORD_CHANNEL, 'See you at the gate', { thread_ts: threadTs })),
    );
    expect(shown(relayed[0])).toContain('See you at the gate');
    expect(
      slack.fake.calls.some((c) => c.method === 'usergroups.users.list' && c.args.usergroup === GROUP),
    ).toBe(true);
    await slack.event(channelMessage(MEMBER, COORD_CHANNEL, 'close', { thread_ts: threadTs }));
    expect(await slack.runtime.handoffs.current(`slack:${TRAINEE}`, new Date())).toBeUndefined();
  });
});
