/**
 * A bot process that dies mid-delivery (run by crash.test.ts): it claims the due outbox rows and
 * SIGKILLs itself right after Slack took the post (`after-send`) or right before sending it
 * (`before-send`), so nothing after that point is recorded.
 */
import { webApi } from '@slack/bolt';
import { Delivery } from '../../src/adapters/slack/delivery.js';
import { SlackSender } from '../../src/adapters/slack/sender.js';
import { SenderRegistry } from '../../src/core/sender.js';
import { OutboxWorker } from '../../src/engines/announcements/outbox.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';

const [dbPath, apiUrl, token, mode, now] = process.argv.slice(2);
if (!dbPath || !apiUrl || !token || !now) throw new Error('usage: crash-child DB API_URL TOKEN MODE NOW');

const i18n = new I18nService();
const client = new webApi.WebClient(token, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true });
const sender = new SlackSender(client, new Delivery(silentLogger(), i18n), i18n);
const publish = sender.publish.bind(sender);
sender.publish = async (channel, reply) => {
  if (mode === 'before-send') process.kill(process.pid, 'SIGKILL');
  const id = await publish(channel, reply);
  process.kill(process.pid, 'SIGKILL');
  return id;
};
const senders = new SenderRegistry();
senders.register(sender);
const store = await KyselyStore.open({ path: dbPath });
await new OutboxWorker({ store, senders, i18n, logger: silentLogger() }).runOnce(new Date(now));
