/** "Helpful? yes/no" under an FAQ answer, clicked through the real Bolt app against the fake Slack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, directMessage } from '../fakes/slack-payloads.js';
import { buttons, closeSlackRuntime, type SlackHarness, shown, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

describe('feedback on Slack', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack('socket');
  }, 120_000);
  afterAll(async () => {
    await slack?.close();
  });

  const newPosts = async (work: () => Promise<unknown>) => {
    const before = slack.fake.calls.length;
    await work();
    return slack.fake.calls.slice(before).filter((c) => c.ok && c.method.startsWith('chat.'));
  };

  it('stores a "not helpful" click with the entry, language and question, and thanks', async () => {
    const question = 'what is a koban?';
    const [answer] = await newPosts(() => slack.event(directMessage('U0VOTER01', question)));
    const no = buttons(answer).find(
      (b) => JSON.parse(b.value).type === 'feedback' && !JSON.parse(b.value).helpful,
    );
    expect(no?.text.text).toContain('Not helpful');
    const [thanks] = await newPosts(() =>
      slack.action(
        blockActions({
          user: 'U0VOTER01',
          channel: 'D00VOTER01',
          button: no as never,
          responseUrl: slack.fake.responseUrl(),
        }),
      ),
    );
    expect(shown(thanks)).toContain('sorry it did not help');
    const [entry] = await slack.runtime.store.feedback.byEntry();
    expect(entry).toMatchObject({ entryId: 'koban-what-is', unhelpful: 1, helpful: 0 });
    expect(entry?.questions[0]).toMatchObject({ lang: 'en', text: 'what is a koban?' });
    const votes = await slack.runtime.store.feedback.list();
    expect(votes[0]?.platform).toBe('slack');
  });

  it('ignores a feedback click whose value was tampered with', async () => {
    const before = (await slack.runtime.store.feedback.list()).length;
    await slack.action(
      blockActions({
        user: 'U0VOTER02',
        channel: 'D00VOTER02',
        responseUrl: slack.fake.responseUrl(),
        button: {
          action_id: 'koban_btn_0',
          value: JSON.stringify({ type: 'feedback', entryId: '../etc', helpful: 'yes' }),
        } as never,
      }),
    );
    expect((await slack.runtime.store.feedback.list()).length).toBe(before);
  });
});
