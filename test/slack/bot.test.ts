/**
 * End-to-end: the project's real Bolt app, started by the same code as `npm start`, talks to the
 * fake Slack over loopback in Socket Mode and in HTTP mode; the tests assert on what Slack received.
 * One file, so the knowledge base is loaded once for all of them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { platformAdapters } from '../../src/adapters/platforms.js';
import { SlackSetupError } from '../../src/adapters/slack/errors.js';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { makeReply } from '../../src/assistant/reply-builder.js';
import {
  appMention,
  blockActions,
  botOwnMessage,
  channelMessage,
  deletedMessage,
  directMessage,
  editedMessage,
  eventCallback,
  otherBotMessage,
  postSigned,
  slashCommand,
} from '../fakes/slack-payloads.js';
import { APP_TOKEN, BOT_TOKEN, BOT_USER_ID } from '../fakes/slack-server.js';
import { databaseEnv } from '../helpers/postgres.js';
import {
  buttons,
  CHANNEL,
  captureLog,
  closeSlackRuntime,
  LISTEN_CHANNEL,
  SIGNING_SECRET,
  type SlackHarness,
  shown,
  slackRuntime,
  startSlack,
  testEnv,
} from './harness.js';

afterAll(closeSlackRuntime);

// Socket Mode on PostgreSQL (when it is available), HTTP mode on SQLite: each store under one mode.
describe.each([
  { mode: 'socket', store: 'postgres' },
  { mode: 'http', store: 'sqlite' },
] as const)('the Slack bot in $mode mode on $store', ({ mode, store }) => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack(mode, { env: await databaseEnv(store) });
  });
  afterAll(async () => {
    await slack?.close();
  });

  const newPosts = async (work: () => Promise<unknown>) => {
    const before = slack.fake.calls.length;
    await work();
    return slack.fake.calls.slice(before).filter((c) => c.ok && c.method.startsWith('chat.'));
  };

  it('answers a Japanese direct message with Japanese blocks from the koban-what-is entry', async () => {
    slack.fake.locales.set('U0TANAKA01', 'ja-JP');
    const posts = await newPosts(() => slack.event(directMessage('U0TANAKA01', '交番とは何ですか')));
    expect(posts.map((p) => p.method)).toEqual(['chat.postMessage']);
    const post = posts[0];
    const title = slack.runtime.knowledge.faq.show('koban-what-is', 'ja')?.translation.title;
    expect(title).toBeTruthy();
    const blocks = post?.args.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: title } });
    expect(shown(post)).toContain('交番');
    expect(post?.args.channel).toBe('D00TANAKA01');
    expect(post?.args.thread_ts).toBeUndefined();
    // The message says its language: no need to ask Slack for the user's locale.
    expect(slack.fake.callsTo('users.info').some((c) => c.args.user === 'U0TANAKA01')).toBe(false);
  });

  it("answers a message that does not say its language in the user's Slack locale", async () => {
    slack.fake.locales.set('U0NGUYEN01', 'vi-VN');
    const posts = await newPosts(() => slack.event(directMessage('U0NGUYEN01', 'koban')));
    const title = slack.runtime.knowledge.faq.show('koban-what-is', 'vi')?.translation.title;
    expect(title).toBeTruthy();
    expect(shown(posts[0])).toContain(title);
    expect(slack.fake.callsTo('users.info').filter((c) => c.args.user === 'U0NGUYEN01')).toHaveLength(1);
  });

  it('answers an event once when Slack delivers it again (its retries of one event id)', async () => {
    const envelope = eventCallback(
      directMessage(`U0RETRY${mode.slice(0, 2).toUpperCase()}`, 'What is a Koban?'),
    );
    const posts = await newPosts(async () => {
      for (let i = 0; i < 3; i++) expect((await slack.envelope(envelope)).acked).toBe(true);
    });
    expect(posts.map((p) => p.method)).toEqual(['chat.postMessage']);
  });

  it("asks Slack for a user's locale once, then remembers it", async () => {
    // Neither says its language, so each turn needs the locale.
    await slack.event(directMessage('U0CACHED01', 'koban'));
    await slack.event(directMessage('U0CACHED01', 'koban?'));
    const lookups = slack.fake.callsTo('users.info').filter((c) => c.args.user === 'U0CACHED01');
    expect(lookups).toHaveLength(1);
    expect(String(lookups[0]?.args.include_locale)).toBe('true');
  });

  it('replies in the thread when mentioned inside a thread, without the mention in the question', async () => {
    const posts = await newPosts(() =>
      slack.event(
        appMention('U0RIZAL001', CHANNEL, `<@${BOT_USER_ID}> What should we wear on a koban visit?`, {
          thread_ts: '1767139100.000100',
        }),
      ),
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args).toMatchObject({ channel: CHANNEL, thread_ts: '1767139100.000100' });
    const title = slack.runtime.knowledge.faq.show('visit-dress-code', 'en')?.translation.title;
    expect(shown(posts[0])).toContain(title);
  });

  it('ignores its own messages, other bots, edits and deletions', async () => {
    const posts = await newPosts(async () => {
      await slack.event(botOwnMessage('D00TANAKA01', '交番とは何ですか'));
      await slack.event(otherBotMessage('D00TANAKA01', 'What is a Koban?'));
      await slack.event(editedMessage('U0TANAKA01', 'D00TANAKA01', 'What is a Koban?'));
      await slack.event(deletedMessage('D00TANAKA01'));
    });
    expect(posts).toEqual([]);
  });

  it('stays quiet on channel chatter unless mentioned, but answers questions in a listen channel', async () => {
    const posts = await newPosts(async () => {
      await slack.event(channelMessage('U0RIZAL001', CHANNEL, 'What is a Koban?'));
      await slack.event(channelMessage('U0RIZAL001', LISTEN_CHANNEL, 'What is a Koban?'));
    });
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe(LISTEN_CHANNEL);
  });

  it('answers a slash command privately, and shares it in the channel on request', async () => {
    const responseUrl = slack.fake.responseUrl();
    const posts = await newPosts(async () => {
      const { acked } = await slack.command(
        slashCommand('/koban', 'What is a Koban?', { user: 'U0RIZAL001', channel: CHANNEL, responseUrl }),
      );
      expect(acked).toBe(true);
    });
    expect(posts.map((p) => p.method)).toEqual(['chat.postEphemeral']);
    expect(posts[0]?.args).toMatchObject({ channel: CHANNEL, user: 'U0RIZAL001' });
    const share = buttons(posts[0]).find((b) => b.action_id === 'koban_share');
    expect(share).toBeDefined();

    const shared = await newPosts(() =>
      slack.action(
        blockActions({
          user: 'U0RIZAL001',
          channel: CHANNEL,
          button: share as never,
          responseUrl,
          ephemeral: true,
        }),
      ),
    );
    expect(shared.map((p) => p.method)).toEqual(['chat.postMessage']);
    expect(shown(shared[0])).toContain(
      slack.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
    );
    expect(shown(shared[0])).toContain('<@U0RIZAL001>');
    expect(slack.fake.responses.at(-1)?.body).toEqual({ delete_original: true });
  });

  it('echoes user text escaped, so <!channel> and @here never become live mentions', async () => {
    const posts = await newPosts(() =>
      slack.event(
        directMessage('U0MISCHIEF', 'language <!channel> &lt;!here&gt; @here <https://evil.example|click>'),
      ),
    );
    expect(posts).toHaveLength(1);
    const json = shown(posts[0]);
    expect(json).toContain('&lt;!here&gt;');
    expect(json).not.toMatch(/<!(channel|here|everyone)/);
    expect(json).not.toContain('<https://evil.example');
    expect(json).toContain('@here');
  });

  it('keeps a Markdown link the user typed as text, in a direct message and a slash command', async () => {
    const posts = await newPosts(async () => {
      await slack.event(directMessage('U0MISCHIEF', 'language [click](https://evil.example)'));
      await slack.event(directMessage('U0MISCHIEF', 'language [click here](https://evil.example/x).'));
      await slack.command(
        slashCommand('/koban-course', '[x](https://evil.example)', {
          user: 'U0MISCHIEF',
          channel: CHANNEL,
          responseUrl: slack.fake.responseUrl(),
        }),
      );
    });
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(shown(post)).toContain('https://evil.example');
      expect(shown(post)).not.toMatch(/<https:\/\/evil/);
    }
    expect(shown(posts[0])).toContain('[click](https://evil.example)');
  });

  it('answers a mention in a channel in a thread under it', async () => {
    const mention = appMention('U0RIZAL001', CHANNEL, `<@${BOT_USER_ID}> What is a Koban?`);
    const posts = await newPosts(() => slack.event(mention));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args).toMatchObject({ channel: CHANNEL, thread_ts: mention.ts });
  });

  it('changes the language with /koban-lang and a click on the picker', async () => {
    const picker = await newPosts(() =>
      slack.command(
        slashCommand('/koban-lang', '', {
          user: 'U0LANGPICK',
          channel: CHANNEL,
          responseUrl: slack.fake.responseUrl(),
        }),
      ),
    );
    const turkish = buttons(picker[0]).find((b) => JSON.parse(b.value).lang === 'tr');
    expect(turkish?.text.text).toBe('Türkçe');
    expect(buttons(picker[0]).some((b) => b.action_id === 'koban_share')).toBe(false);
    const confirmed = await newPosts(() =>
      slack.action(
        blockActions({
          user: 'U0LANGPICK',
          channel: CHANNEL,
          button: turkish as never,
          responseUrl: slack.fake.responseUrl(),
          ephemeral: true,
        }),
      ),
    );
    expect(confirmed.map((p) => p.method)).toEqual(['chat.postEphemeral']);
    expect((await slack.runtime.store.getUser('slack:U0LANGPICK')).lang).toBe('tr');
  });

  it('ignores a click whose value was tampered with', async () => {
    const posts = await newPosts(() =>
      slack.action(
        blockActions({
          user: 'U0TAMPER01',
          channel: CHANNEL,
          button: { action_id: 'koban_faq_0', value: '{"type":"faq","entryId":"../../etc/passwd"}' },
          responseUrl: slack.fake.responseUrl(),
        }),
      ),
    );
    expect(posts).toEqual([]);
  });

  it('answers a "did you mean" button click in the same thread', async () => {
    const posts = await newPosts(() =>
      slack.event(directMessage('U0SUGGEST1', 'visit', { thread_ts: '1767139000.000200' })),
    );
    const suggestion = buttons(posts[0]).find((b) => b.action_id.startsWith('koban_faq_'));
    expect(suggestion, 'a "did you mean" button').toBeDefined();
    const { entryId } = JSON.parse(suggestion?.value ?? '{}') as { entryId: string };
    const answered = await newPosts(() =>
      slack.action(
        blockActions({
          user: 'U0SUGGEST1',
          channel: 'D00SUGGEST1',
          button: suggestion as never,
          responseUrl: slack.fake.responseUrl(),
          message: { ts: '1767139001.000300', thread_ts: '1767139000.000200' },
        }),
      ),
    );
    expect(answered).toHaveLength(1);
    expect(answered[0]?.args.thread_ts).toBe('1767139000.000200');
    expect(shown(answered[0])).toContain(slack.runtime.knowledge.faq.show(entryId, 'en')?.translation.title);
  });
});

describe('with SLACK_REPLY_IN_THREAD=false', () => {
  it('answers a mention in the channel itself, and a question inside a thread in that thread', async () => {
    const slack = await startSlack('socket', { env: { SLACK_REPLY_IN_THREAD: 'false' } });
    try {
      await slack.event(appMention('U0RIZAL001', CHANNEL, `<@${BOT_USER_ID}> What is a Koban?`));
      await slack.event(
        appMention('U0RIZAL001', CHANNEL, `<@${BOT_USER_ID}> What is a Koban?`, {
          thread_ts: '1767139100.000200',
        }),
      );
      const posts = slack.fake.posts();
      expect(posts).toHaveLength(2);
      expect(posts[0]?.args.thread_ts).toBeUndefined();
      expect(posts[1]?.args.thread_ts).toBe('1767139100.000200');
    } finally {
      await slack.close();
    }
  });
});

describe('rate limits on Slack', () => {
  it('answers 10 messages from one user, tells them once to slow down, then stays silent', async () => {
    const slack = await startSlack('socket', { env: { KOBAN_USER_LIMIT: '10', KOBAN_CHANNEL_LIMIT: '30' } });
    try {
      for (let i = 0; i < 15; i++) await slack.event(directMessage('U0FLOOD001', 'What is a Koban?'));
      const posts = slack.fake.posts();
      expect(posts).toHaveLength(11);
      const notice = String(posts[10]?.args.text);
      expect(notice).toContain(slack.runtime.i18n.t('en')('limits.tooFast', { seconds: 'X' }).split('X')[0]);
      const metrics = await slack.runtime.metrics.render();
      expect(metrics.body).toMatch(/koban_rate_limited_messages_total\{platform="slack",scope="user"\} 5/);
    } finally {
      await slack.close();
    }
  });

  it('answers mentions in different threads of one channel without one waiting for the other', async () => {
    const slack = await startSlack('socket');
    try {
      // Slack takes 5 s to answer each post: in one queue per channel, the second answer would go out only then.
      slack.fake.slowDown('chat.postMessage', 5000);
      const first = appMention('U0BUSY0001', CHANNEL, `<@${BOT_USER_ID}> What is a Koban?`);
      const second = appMention('U0BUSY0002', CHANNEL, `<@${BOT_USER_ID}> Where is the dormitory?`);
      await slack.fake.send('events_api', eventCallback(first));
      await slack.fake.until(() => slack.fake.callsTo('chat.postMessage').length === 1, 'the first answer');
      await slack.fake.send('events_api', eventCallback(second));
      await slack.fake.until(
        () => slack.fake.callsTo('chat.postMessage').length === 2,
        'the second answer while the first post is still unanswered',
        4000,
      );
      expect(slack.fake.callsTo('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([
        first.ts,
        second.ts,
      ]);
      slack.fake.slowDown('chat.postMessage', 0);
      await slack.adapter.idle();
    } finally {
      await slack.close();
    }
  });

  it('delays an answer through five 429s in a row instead of dropping it', async () => {
    const slack = await startSlack('socket');
    try {
      for (let i = 0; i < 5; i++) slack.fake.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
      await slack.event(directMessage('U0LIMIT002', 'What is a Koban?'));
      const calls = slack.fake.callsTo('chat.postMessage');
      expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 429, 429, 200]);
      expect(slack.fake.callsTo('chat.postEphemeral')).toEqual([]);
      expect(shown(calls[5])).toContain(
        slack.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
      );
    } finally {
      await slack.close();
    }
  });
});

describe('the Slack bot over Socket Mode', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack('socket');
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('connects with the app token through apps.connections.open at the configured API URL', () => {
    const open = slack.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toMatch(/^xapp-/);
    expect(slack.fake.connections).toBe(1);
  });

  it('acknowledges every envelope: events, slash commands and clicks', async () => {
    const acksBefore = slack.fake.acks.length;
    const event = await slack.fake.send(
      'events_api',
      eventCallback(directMessage('U0ACK00001', 'What is a Koban?')),
    );
    const command = await slack.fake.send(
      'slash_commands',
      slashCommand('/koban', 'What is a Koban?', {
        user: 'U0ACK00001',
        channel: CHANNEL,
        responseUrl: slack.fake.responseUrl(),
      }),
    );
    const click = await slack.fake.send(
      'interactive',
      blockActions({
        user: 'U0ACK00001',
        channel: CHANNEL,
        button: { action_id: 'koban_faq_0', value: '{"type":"faq","entryId":"koban-duties"}' },
        responseUrl: slack.fake.responseUrl(),
        message: { ts: '1767139002.000400' },
      }),
    );
    await slack.adapter.idle();
    expect(slack.fake.acks.length - acksBefore).toBe(3);
    expect([event, command, click].map((a) => a.envelope_id)).toEqual(
      slack.fake.acks.slice(acksBefore).map((a) => a.envelope_id),
    );
    expect(slack.fake.callsTo('chat.postMessage', { ok: true }).at(-1)?.args.channel).toBe(CHANNEL);
    // Acknowledged first, answered after: the answer never holds up the ack.
    const answer = slack.fake.callsTo('chat.postEphemeral', { ok: true }).at(-1);
    expect(command.seq).toBeLessThan(answer?.seq ?? 0);
  });

  it('reconnects when Slack sends "disconnect", and keeps answering', async () => {
    slack.fake.sendDisconnect();
    await slack.fake.until(() => slack.fake.connections === 2, 'a second Socket Mode connection', 12_000);
    expect(slack.fake.callsTo('apps.connections.open')).toHaveLength(2);
    const before = slack.fake.callsTo('chat.postMessage', { ok: true }).length;
    await slack.event(directMessage('U0AFTER001', 'What is a Koban?'));
    const after = slack.fake.callsTo('chat.postMessage', { ok: true });
    expect(after.length - before).toBe(1);
    expect(after.at(-1)?.args.channel).toBe('D00AFTER001');
  });
});

describe('starting in Socket Mode', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlack('socket');
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('is one of the adapters `npm start` runs when its tokens are set', async () => {
    const adapters = await platformAdapters(await slackRuntime(testEnv(slack.fake, 'socket')));
    expect(adapters.map((a) => a.name)).toEqual(['slack']);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'auth.test', { SLACK_BOT_TOKEN: 'xoxb-revoked-token-000' }],
    ['SLACK_APP_TOKEN', 'apps.connections.open', { SLACK_APP_TOKEN: 'xapp-1-revoked-token-000' }],
  ])('refuses a token Slack rejects, naming %s', async (variable, method, env) => {
    const runtime = await slackRuntime({ ...testEnv(slack.fake, 'socket'), ...env });
    const error = await createSlackAdapter(runtime)
      .start()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(SlackSetupError);
    expect((error as SlackSetupError).variable).toBe(variable);
    expect((error as Error).message).toContain(`${method}: invalid_auth`);
  });

  it('never writes a token to the log, even at trace level', async () => {
    const log = captureLog();
    const traced = await startSlack('socket', { logger: log.logger });
    try {
      await traced.event(directMessage('U0LOGGED01', 'What is a Koban?'));
      await traced.command(
        slashCommand('/koban', 'What is a Koban?', {
          user: 'U0LOGGED01',
          channel: CHANNEL,
          responseUrl: traced.fake.responseUrl(),
        }),
      );
    } finally {
      await traced.close();
    }
    expect(log.text()).toContain('slack: connected');
    expect(log.text()).toContain('apps.connections.open');
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET]) expect(log.text()).not.toContain(secret);
    expect(log.text()).not.toMatch(/ticket=(?!\[ticket\])/);
  });
});

describe('the Slack bot over HTTP', () => {
  let slack: SlackHarness;
  let url: string;
  beforeAll(async () => {
    slack = await startSlack('http');
    url = `http://127.0.0.1:${slack.adapter.port}/slack/events`;
  });
  afterAll(async () => {
    await slack?.close();
  });

  const question = () => eventCallback(directMessage('U0SIGN0001', 'What is a Koban?'));

  it('answers a correctly signed request', async () => {
    const before = slack.fake.posts().length;
    const res = await postSigned(url, 'event', question(), { secret: SIGNING_SECRET });
    await slack.adapter.idle();
    expect(res.status).toBe(200);
    expect(slack.fake.posts().length - before).toBe(1);
  });

  it.each([
    ['a bad signature', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }],
    ['the wrong secret', { signWith: 'not-the-signing-secret' }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 }],
    ['a timestamp 10 minutes in the future', { timestamp: Math.floor(Date.now() / 1000) + 10 * 60 }],
  ])('refuses %s with 401 and calls nothing', async (_name, opts) => {
    const callsBefore = slack.fake.calls.length;
    const event = await postSigned(url, 'event', question(), { secret: SIGNING_SECRET, ...opts });
    const command = await postSigned(
      url,
      'command',
      slashCommand('/koban', 'What is a Koban?', {
        user: 'U0SIGN0001',
        channel: CHANNEL,
        responseUrl: slack.fake.responseUrl(),
      }),
      { secret: SIGNING_SECRET, ...opts },
    );
    await slack.adapter.idle();
    expect([event.status, command.status]).toEqual([401, 401]);
    expect(slack.fake.calls.length).toBe(callsBefore);
  });

  it('answers a signed form POST that is not a Slack payload with 404 at once', async () => {
    const started = performance.now();
    const res = await postSigned(url, 'command', { hello: 'world' }, { secret: SIGNING_SECRET });
    expect(res.status).toBe(404);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('serves only the events path: other paths are 404', async () => {
    const res = await fetch(url.replace('/slack/events', '/slack/other'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('still answers, once, when Slack rate-limits the first try', async () => {
    slack.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const before = slack.fake.callsTo('chat.postMessage').length;
    await slack.event(directMessage('U0LIMIT001', 'What is a Koban?'));
    const calls = slack.fake.callsTo('chat.postMessage').slice(before);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls.filter((c) => c.ok)).toHaveLength(1);
    expect(calls[1]?.args.channel).toBe('D00LIMIT001');
  });

  it('answers a slash command through the response_url where it cannot post', async () => {
    slack.fake.failNext('chat.postEphemeral', { error: 'not_in_channel' });
    const responseUrl = slack.fake.responseUrl('not-in-channel');
    await slack.command(
      slashCommand('/koban', 'What is a Koban?', { user: 'U0PRIV0001', channel: 'C0NOTMEMBR', responseUrl }),
    );
    const response = slack.fake.responses.find((r) => r.id === 'not-in-channel');
    expect(response?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(response?.body)).toContain(
      slack.runtime.knowledge.faq.show('koban-what-is', 'en')?.translation.title,
    );
  });

  it('tells the asker in their language when the channel is gone, and keeps running', async () => {
    slack.fake.locales.set('U0GONE0001', 'th-TH');
    slack.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await slack.event(appMention('U0GONE0001', 'C0ARCHIVED', '<@U0KOBANBOT> ตู้ตำรวจคืออะไร'));
    const notice = slack.fake.callsTo('chat.postEphemeral', { ok: true }).at(-1);
    expect(notice?.args).toMatchObject({ channel: 'C0ARCHIVED', user: 'U0GONE0001' });
    expect(notice?.args.text).toBe(slack.runtime.i18n.t('th', 'slack')('errors.notInChannel'));

    const before = slack.fake.posts().length;
    await slack.event(directMessage('U0GONE0001', 'What is a Koban?'));
    expect(slack.fake.posts().length - before).toBe(1);
  });

  describe('with a calendar file in the reply', () => {
    const scheduleReply = () =>
      makeReply({
        intent: 'schedule',
        lang: 'en',
        text: 'Your next session: **Community policing**, Monday 09:30.',
        attachment: {
          filename: 'koban-course.ics',
          contentType: 'text/calendar',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        },
      });

    it('uploads the file into the same thread of a visible answer', async () => {
      vi.spyOn(slack.runtime.assistant, 'handle').mockResolvedValueOnce(scheduleReply());
      await slack.event(directMessage('U0CALENDR1', '/course', { thread_ts: '1767139500.000100' }));
      expect(shown(slack.fake.posts().at(-1))).toContain('*Community policing*');
      const complete = slack.fake.callsTo('files.completeUploadExternal', { ok: true }).at(-1);
      expect(complete?.args).toMatchObject({ channel_id: 'D00CALENDR1', thread_ts: '1767139500.000100' });
      expect(slack.fake.uploads.at(-1)?.length).toBeGreaterThan(0);
    });

    it('mentions the file on a private answer instead of uploading it', async () => {
      vi.spyOn(slack.runtime.assistant, 'handle').mockResolvedValueOnce(scheduleReply());
      const uploads = slack.fake.uploads.length;
      await slack.command(
        slashCommand('/koban-course', '', {
          user: 'U0CALENDR1',
          channel: CHANNEL,
          responseUrl: slack.fake.responseUrl(),
        }),
      );
      expect(shown(slack.fake.posts().at(-1))).toContain('koban-course.ics');
      expect(slack.fake.uploads.length).toBe(uploads);
    });
  });

  it("answers Slack's url_verification challenge", async () => {
    const res = await postSigned(
      url,
      'event',
      { token: 'unused', challenge: 'koban-challenge', type: 'url_verification' },
      { secret: SIGNING_SECRET },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('koban-challenge');
  });
});

describe('logging in HTTP mode', () => {
  it('never writes a token or the signing secret to the log, even at trace level', async () => {
    const log = captureLog();
    const traced = await startSlack('http', { logger: log.logger });
    try {
      await traced.event(directMessage('U0LOGGED02', 'What is a Koban?'));
      await postSigned(
        `http://127.0.0.1:${traced.adapter.port}/slack/events`,
        'event',
        eventCallback(directMessage('U0LOGGED02', 'hi')),
        {
          secret: SIGNING_SECRET,
          signWith: 'wrong-secret',
        },
      );
    } finally {
      await traced.close();
    }
    expect(log.text()).toContain('slack: connected');
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET]) expect(log.text()).not.toContain(secret);
  });
});
