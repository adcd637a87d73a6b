/** "Talk to a person" through the real Bolt app (Socket Mode) against the fake Slack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, channelMessage, directMessage } from '../fakes/slack-payloads.js';
import type { ApiCall } from '../fakes/slack-server.js';
import { buttons, closeSlackRuntime, type SlackHarness, shown, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

const COORD_CHANNEL = 'C0COORDS1';
const COORDINATOR = 'U0COORD01';
const TRAINEE = 'U0TRAINEE';
const STRANGER = 'U0STRANGE';

describe('hand-off to a person on Slack', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack('socket', {
      env: {
        KOBAN_COORDINATORS: `slack:${COORDINATOR}`,
        KOBAN_COORDINATOR_CHANNELS: `slack:${COORD_CHANNEL}`,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await slack?.close();
  });

  const newPosts = async (work: () => Promise<unknown>): Promise<ApiCall[]> => {
    const before = slack.fake.calls.length;
    await work();
    return slack.fake.calls.slice(before).filter((c) => c.ok && c.method.startsWith('chat.'));
  };
  const inDm = (posts: ApiCall[]) => posts.filter((c) => String(c.args.channel).startsWith('D'));
  const inCoord = (posts: ApiCall[]) => posts.filter((c) => c.args.channel === COORD_CHANNEL);
  const t = (key: string) => slack.runtime.i18n.t('en')(key);

  it('posts to the coordinators, relays only their thread replies, forwards the user, and closes', async () => {
    await slack.event(directMessage(TRAINEE, 'what is a koban?'));
    const opened = await newPosts(() =>
      slack.event(directMessage(TRAINEE, 'I want to talk to a person please')),
    );
    const [post, edit] = inCoord(opened);
    expect(post?.method).toBe('chat.postMessage');
    expect(shown(post)).toContain('what is a koban?');
    expect(shown(post)).toContain('English');
    expect(edit?.method).toBe('chat.update');
    const close = buttons(edit).find((b) => JSON.parse(b.value).text?.startsWith('/close-handoff'));
    expect(close?.text.text).toBe(t('handoff.post.close'));
    expect(shown(inDm(opened)[0])).toContain(t('handoff.opened').slice(0, 40));
    const threadTs = String(post?.args.ts ?? edit?.args.ts);

    // Somebody who is not a coordinator answers in the thread: nothing reaches the trainee.
    const stranger = await newPosts(() =>
      slack.event(channelMessage(STRANGER, COORD_CHANNEL, 'ignore me', { thread_ts: threadTs })),
    );
    expect(stranger).toEqual([]);

    const relayed = await newPosts(() =>
      slack.event(
        channelMessage(COORDINATOR, COORD_CHANNEL, 'Come to room 204 <!channel>', { thread_ts: threadTs }),
      ),
    );
    expect(inCoord(relayed)).toEqual([]);
    const [dm] = inDm(relayed);
    expect(shown(dm)).toContain('Message from a coordinator');
    expect(shown(dm)).toContain('Come to room 204');
    expect(shown(dm)).not.toContain('<!channel>');

    // The trainee's next messages go to the thread, acknowledged once.
    const first = await newPosts(() => slack.event(directMessage(TRAINEE, 'thank you, where is room 204?')));
    expect(inCoord(first)[0]?.args.thread_ts).toBe(threadTs);
    expect(shown(inCoord(first)[0])).toContain('where is room 204?');
    expect(shown(inDm(first)[0])).toContain(t('handoff.forwarded'));
    const second = await newPosts(() => slack.event(directMessage(TRAINEE, 'second floor?')));
    expect(inCoord(second)[0]?.args.thread_ts).toBe(threadTs);
    expect(inDm(second)).toEqual([]);

    const closed = await newPosts(() =>
      slack.event(channelMessage(COORDINATOR, COORD_CHANNEL, 'close', { thread_ts: threadTs })),
    );
    expect(shown(inDm(closed)[0])).toContain(t('handoff.closed').slice(0, 40));
    expect(inCoord(closed)[0]?.args.thread_ts).toBe(threadTs);

    const after = await newPosts(() => slack.event(directMessage(TRAINEE, 'what is a koban?')));
    expect(inCoord(after)).toEqual([]);
    expect(shown(inDm(after)[0])).toContain('Koban');

    const audit = (await slack.runtime.store.audit.list()).filter((a) => a.action.startsWith('handoff.'));
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'handoff.open:ok',
      'handoff.relay:refused',
      'handoff.relay:ok',
      'handoff.forward:ok',
      'handoff.forward:ok',
      'handoff.close:ok',
    ]);
  });

  it('closes with the Close button for a coordinator only, and the user is told', async () => {
    const other = 'U0TRAINEE2';
    const opened = await newPosts(() => slack.event(directMessage(other, 'can I talk to a human?')));
    const edit = inCoord(opened).find((c) => c.method === 'chat.update');
    const close = buttons(edit).find((b) => JSON.parse(b.value).text?.startsWith('/close-handoff'));
    if (!close) throw new Error('the post has a Close button');
    const click = (by: string) =>
      newPosts(() =>
        slack.action(
          blockActions({
            user: by,
            channel: COORD_CHANNEL,
            button: close as never,
            message: { ts: String(edit?.args.ts) },
            responseUrl: slack.fake.responseUrl(),
          }),
        ),
      );
    const refused = await click(STRANGER);
    expect(inDm(refused)).toEqual([]);
    expect(JSON.stringify(refused)).toContain(t('handoff.notCoordinator'));
    expect(await slack.runtime.handoffs.current(`slack:${other}`, new Date())).toBeDefined();
    const closed = await click(COORDINATOR);
    expect(shown(inDm(closed)[0])).toContain(t('handoff.closed').slice(0, 40));
    expect(await slack.runtime.handoffs.current(`slack:${other}`, new Date())).toBeUndefined();
  });
});
