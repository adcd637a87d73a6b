import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserLocales } from '../../src/adapters/slack/user-locale.js';
import { silentLogger } from '../../src/logger.js';
import { BOT_TOKEN, FakeSlackServer } from '../fakes/slack-server.js';

describe("a Slack user's locale", () => {
  let fake: FakeSlackServer;
  let client: webApi.WebClient;

  beforeEach(async () => {
    fake = await FakeSlackServer.start();
    client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl });
  });
  afterEach(() => fake.close());

  it('is looked up once for a burst of messages from one user', async () => {
    fake.locales.set('U0TAKESHI', 'ja-JP');
    fake.locales.set('U0SITI', 'id-ID');
    const locales = new UserLocales(silentLogger());
    const asked = await Promise.all([
      ...Array.from({ length: 5 }, () => locales.get(client, 'U0TAKESHI')),
      locales.get(client, 'U0SITI'),
    ]);
    expect(asked).toEqual(['ja-JP', 'ja-JP', 'ja-JP', 'ja-JP', 'ja-JP', 'id-ID']);
    expect(fake.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0TAKESHI', 'U0SITI']);
    expect(await locales.get(client, 'U0TAKESHI')).toBe('ja-JP');
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });
});
