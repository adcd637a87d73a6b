import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Delivery } from '../../src/adapters/slack/delivery.js';
import { SlackSender } from '../../src/adapters/slack/sender.js';
import { SenderRegistry } from '../../src/core/sender.js';
import { enqueue, entries, type OutboxItem, OutboxWorker } from '../../src/engines/announcements/outbox.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { BOT_TOKEN, FakeSlackServer } from '../fakes/slack-server.js';

const T0 = new Date('2027-01-20T00:00:00.000Z');
const i18n = new I18nService();

function item(refId: string, channel: string, dueAt = T0): OutboxItem {
  return {
    kind: 'announcement',
    refId,
    target: { platform: 'slack', kind: 'channel', id: channel },
    lang: ['en'],
    dueAt: dueAt.toISOString(),
    payload: { original: 'en', versions: { en: { text: `Bus for ${refId} leaves at 8:15.` } } },
  };
}

/** Runs crash-child.ts; resolves with the signal that ended it. */
function runChild(args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'crash-child.ts'), ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      signal ? resolve(signal) : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

/** A restarted bot: a fresh store on the same file and a fresh worker with the Slack sender. */
async function restarted(path: string, fake: FakeSlackServer) {
  const store = await KyselyStore.open({ path });
  const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true });
  const senders = new SenderRegistry();
  senders.register(new SlackSender(client, new Delivery(silentLogger(), i18n), i18n));
  return {
    store,
    worker: new OutboxWorker({ store, senders, i18n, logger: silentLogger(), leaseMs: 120_000 }),
  };
}

describe('the outbox across a crash and a restart (real Slack client, fake Slack)', () => {
  let fake: FakeSlackServer;
  beforeAll(async () => {
    fake = await FakeSlackServer.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('killed right after Slack took the post: after the restart, no second post', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'koban-crash-')), 'koban.db');
    const setup = await KyselyStore.open({ path });
    await enqueue(setup, [item('A-1', 'C0AFTER')]);
    await setup.close();
    expect(await runChild([path, fake.apiUrl, BOT_TOKEN, 'after-send', T0.toISOString()])).toBe('SIGKILL');
    expect(fake.history.get('C0AFTER')).toHaveLength(1);

    const { store, worker } = await restarted(path, fake);
    try {
      expect(await worker.runOnce(new Date(T0.getTime() + 60_000))).toBe(0); // the lease still holds
      expect(await worker.runOnce(new Date(T0.getTime() + 120_000))).toBe(1);
      expect(fake.history.get('C0AFTER')).toHaveLength(1);
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0AFTER')).toHaveLength(1);
      const [entry] = await entries(store, 'A-1');
      expect(entry).toMatchObject({ state: 'sent', messageId: fake.history.get('C0AFTER')?.[0]?.ts });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('killed right before sending: after the restart, the post goes out once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'koban-crash-')), 'koban.db');
    const setup = await KyselyStore.open({ path });
    await enqueue(setup, [item('A-2', 'C0BEFORE')]);
    await setup.close();
    expect(await runChild([path, fake.apiUrl, BOT_TOKEN, 'before-send', T0.toISOString()])).toBe('SIGKILL');
    expect(fake.history.get('C0BEFORE')).toBeUndefined();

    const { store, worker } = await restarted(path, fake);
    try {
      expect(await worker.runOnce(new Date(T0.getTime() + 120_000))).toBe(1);
      expect(fake.history.get('C0BEFORE')).toHaveLength(1);
      expect((await entries(store, 'A-2'))[0]?.state).toBe('sent');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a scheduled announcement survives a restart and goes out at its time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'koban-restart-')), 'koban.db');
    const first = await restarted(path, fake);
    const due = new Date(T0.getTime() + 3_600_000);
    await enqueue(first.store, [item('A-3', 'C0LATER', due)]);
    expect(await first.worker.runOnce(T0)).toBe(0);
    await first.store.close();

    const second = await restarted(path, fake);
    try {
      expect(await second.worker.runOnce(new Date(due.getTime() - 1000))).toBe(0);
      expect(await second.worker.runOnce(due)).toBe(1);
      expect(fake.history.get('C0LATER')).toHaveLength(1);
      expect(JSON.stringify(fake.history.get('C0LATER')?.[0]?.blocks)).toContain('A-3');
    } finally {
      await second.store.close();
    }
  }, 60_000);
});
