import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { DeliveryError, hasMarker, type OutboxSender, SenderRegistry } from '../../src/core/sender.js';
import {
  cancel,
  claim,
  enqueue,
  entries,
  type OutboxEntry,
  type OutboxItem,
  OutboxWorker,
  revise,
} from '../../src/engines/announcements/outbox.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import type { KyselyStore } from '../../src/stores/kysely-store.js';
import { storeFactories } from '../helpers/postgres.js';

const T0 = new Date('2027-01-20T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const i18n = new I18nService();

/** A platform in memory: channels with their messages, and failures queued per call. */
class MemorySender implements OutboxSender {
  readonly platform = 'slack' as const;
  readonly channels = new Map<string, { id: string; text: string; notes: string[] }[]>();
  readonly calls: string[] = [];
  readonly failures: DeliveryError[] = [];
  private next = 0;

  messages(channel: string) {
    return this.channels.get(channel) ?? [];
  }

  async post(): Promise<undefined> {
    return undefined;
  }
  async dm(): Promise<void> {}

  async publish(channel: string, reply: Reply): Promise<string> {
    this.calls.push(`publish ${channel}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.next += 1;
    const id = `m${this.next}`;
    this.channels.set(channel, [...this.messages(channel), { id, text: reply.text, notes: reply.notes }]);
    return id;
  }

  async update(channel: string, messageId: string, reply: Reply): Promise<void> {
    this.calls.push(`update ${channel} ${messageId}`);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const m = this.messages(channel).find((x) => x.id === messageId);
    if (!m) throw new DeliveryError('message_not_found', { permanent: true });
    m.text = reply.text;
    m.notes = reply.notes;
  }

  async dmChannel(userId: string): Promise<string> {
    return `D-${userId}`;
  }

  async findMarker(channel: string, marker: string): Promise<string | undefined> {
    this.calls.push(`history ${channel}`);
    return this.messages(channel).find((m) => hasMarker(m.notes.join(' '), marker))?.id;
  }
}

function item(refId: string, channel: string, lang: OutboxItem['lang'], dueAt = T0): OutboxItem {
  return {
    kind: 'announcement',
    refId,
    target: { platform: 'slack', kind: 'channel', id: channel },
    lang,
    dueAt: dueAt.toISOString(),
    payload: {
      original: 'en',
      versions: {
        en: { text: 'The bus leaves at 8:15, not 8:30.' },
        id: { text: 'Bus berangkat pukul 8.15, bukan 8.30.' },
      },
    },
  };
}

describe.each(storeFactories)('the outbox on $name', (factory) => {
  let place: string;
  let store: KyselyStore;
  let sender: MemorySender;
  let senders: SenderRegistry;
  let failed: OutboxEntry[];
  let worker: OutboxWorker;

  const makeWorker = () =>
    new OutboxWorker({
      store,
      senders,
      i18n,
      logger: silentLogger(),
      backoffMs: 1000,
      maxAttempts: 3,
      leaseMs: 60_000,
      onFailed: async (e) => {
        failed.push(e);
      },
    });

  beforeEach(async () => {
    if (factory.skip) return;
    place = await factory.place();
    store = await factory.open(place);
    sender = new MemorySender();
    senders = new SenderRegistry();
    senders.register(sender);
    failed = [];
    worker = makeWorker();
  });

  afterEach(async () => {
    if (factory.skip) return;
    await worker.stop();
    await store.close();
  });

  it.skipIf(factory.skip)(
    'sends a due row once, in the target languages, first one first, with its marker',
    async () => {
      await enqueue(store, [item('A-1', 'C1', ['id', 'en']), item('A-1', 'C2', ['vi'])]);
      expect(await worker.runOnce(at(-1000))).toBe(0);
      expect(await worker.runOnce(T0)).toBe(2);
      expect(await worker.runOnce(at(1000))).toBe(0);
      const [c1] = sender.messages('C1');
      expect(sender.messages('C1')).toHaveLength(1);
      expect(c1?.text.indexOf('Bus berangkat')).toBe(0);
      expect(c1?.text).toContain('The bus leaves');
      expect(c1?.notes.join(' ')).toContain('A-1');
      // Vietnamese readers get the original with a note in Vietnamese.
      const [c2] = sender.messages('C2');
      expect(c2?.text).toBe('The bus leaves at 8:15, not 8:30.');
      expect(c2?.notes[0]).toBe(i18n.t('vi', 'announcements')('note.originalOnly', { language: 'English' }));
      const states = await entries(store, 'A-1');
      expect(states.map((e) => [e.target, e.state, e.messageId])).toEqual([
        ['slack:C1', 'sent', 'm1'],
        ['slack:C2', 'sent', 'm2'],
      ]);
    },
  );

  it.skipIf(factory.skip)(
    'claims a row once: a second claim while the lease holds gets nothing',
    async () => {
      await enqueue(store, [item('A-2', 'C1', ['en'])]);
      const options = { now: T0, limit: 10, leaseMs: 60_000, platforms: ['slack'] };
      expect(await claim(store, options)).toHaveLength(1);
      expect(await claim(store, options)).toHaveLength(0);
      expect(await claim(store, { ...options, platforms: ['discord'] })).toHaveLength(0);
      expect(await claim(store, { ...options, now: at(60_001) })).toHaveLength(1);
    },
  );

  it.skipIf(factory.skip)(
    'hands the rest of a slow batch back once half the lease has passed, so no other worker posts it at the same moment',
    async () => {
      const slow = new MemorySender();
      const publish = slow.publish.bind(slow);
      slow.publish = async (channel, reply) => {
        await new Promise((r) => setTimeout(r, 120));
        return publish(channel, reply);
      };
      const slowSenders = new SenderRegistry();
      slowSenders.register(slow);
      const hurried = new OutboxWorker({
        store,
        senders: slowSenders,
        i18n,
        logger: silentLogger(),
        leaseMs: 200,
      });
      await enqueue(store, [item('A-9', 'C1', ['en']), item('A-9', 'C2', ['en']), item('A-9', 'C3', ['en'])]);
      const first = await hurried.runOnce(T0);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(3);
      const left = (await entries(store, 'A-9')).filter((e) => e.state === 'pending');
      expect(left).toHaveLength(3 - first);
      // Handed back at once, not after the lease: claimable now, with its attempt not counted.
      const again = await claim(store, { now: T0, limit: 10, leaseMs: 60_000, platforms: ['slack'] });
      expect(again.map((r) => r.attempts)).toEqual(left.map(() => 1));
      expect(slow.calls.filter((c) => c.startsWith('publish'))).toHaveLength(first);
    },
  );

  it.skipIf(factory.skip)("waits the platform's Retry-After, then sends", async () => {
    sender.failures.push(new DeliveryError('ratelimited', { retryAfterSeconds: 30 }));
    await enqueue(store, [item('A-3', 'C1', ['en'])]);
    await worker.runOnce(T0);
    const [waiting] = await entries(store, 'A-3');
    expect(waiting?.state).toBe('pending');
    expect(waiting?.error).toBe('ratelimited');
    expect(waiting?.nextAttemptAt).toBe(at(30_000).toISOString());
    expect(await worker.runOnce(at(29_000))).toBe(0);
    expect(await worker.runOnce(at(30_000))).toBe(1);
    expect(sender.messages('C1')).toHaveLength(1);
    expect((await entries(store, 'A-3'))[0]?.state).toBe('sent');
  });

  it.skipIf(factory.skip)(
    'backs off exponentially and ends failed with the reason after the last attempt',
    async () => {
      for (let i = 0; i < 3; i++) sender.failures.push(new DeliveryError('internal_error'));
      await enqueue(store, [item('A-4', 'C1', ['en'])]);
      await worker.runOnce(T0);
      expect((await entries(store, 'A-4'))[0]?.nextAttemptAt).toBe(at(1000).toISOString());
      await worker.runOnce(at(1000));
      expect((await entries(store, 'A-4'))[0]?.nextAttemptAt).toBe(at(3000).toISOString());
      expect(failed).toHaveLength(0);
      await worker.runOnce(at(3000));
      const [entry] = await entries(store, 'A-4');
      expect(entry?.state).toBe('failed');
      expect(entry?.error).toBe('internal_error');
      expect(failed.map((f) => [f.refId, f.target, f.error])).toEqual([
        ['A-4', 'slack:C1', 'internal_error'],
      ]);
      expect(await worker.runOnce(at(100_000))).toBe(0);
    },
  );

  it.skipIf(factory.skip)('fails at once on a permanent refusal', async () => {
    sender.failures.push(new DeliveryError('channel_not_found', { permanent: true }));
    await enqueue(store, [item('A-5', 'C1', ['en'])]);
    await worker.runOnce(T0);
    expect((await entries(store, 'A-5'))[0]).toMatchObject({ state: 'failed', error: 'channel_not_found' });
    expect(failed).toHaveLength(1);
  });

  it.skipIf(factory.skip)(
    'after a crash between sending and recording, finds the post and does not send it again',
    async () => {
      await enqueue(store, [item('A-6', 'C1', ['en']), item('A-7', 'C2', ['en'])]);
      // A worker claimed both rows and was killed: A-6 had reached the platform, A-7 had not.
      const claimed = await claim(store, { now: T0, limit: 10, leaseMs: 60_000, platforms: ['slack'] });
      expect(claimed).toHaveLength(2);
      const a6 = await makeWorker().runOnce(T0);
      expect(a6).toBe(0);
      await sender.publish('C1', {
        intent: 'announce',
        lang: 'en',
        dir: 'ltr',
        text: 'The bus leaves at 8:15, not 8:30.',
        notes: ['Announcement A-6'],
        suggestions: [],
        buttons: [],
      });
      // Before the lease expires nothing is claimable; after it, both rows are.
      expect(await worker.runOnce(at(59_000))).toBe(0);
      expect(await worker.runOnce(at(60_000))).toBe(2);
      expect(sender.messages('C1')).toHaveLength(1);
      expect(sender.messages('C2')).toHaveLength(1);
      expect(sender.calls.filter((c) => c === 'publish C1')).toHaveLength(1);
      expect((await entries(store, 'A-6'))[0]).toMatchObject({ state: 'sent', messageId: 'm1' });
      expect((await entries(store, 'A-7'))[0]).toMatchObject({ state: 'sent', messageId: 'm2' });
    },
  );

  it.skipIf(factory.skip)(
    'edits every sent copy after a correction, and cancels the copies not sent yet',
    async () => {
      await enqueue(store, [item('A-8', 'C1', ['en']), item('A-8', 'C2', ['en'], at(3_600_000))]);
      await worker.runOnce(T0);
      const corrected = {
        original: 'en' as const,
        versions: { en: { text: 'The bus leaves at 8:00.' } },
        revision: 'corrected' as const,
      };
      expect(await revise(store, 'A-8', corrected, at(1000))).toBe(1);
      expect(await cancel(store, 'A-8', at(1000))).toBe(1);
      await worker.runOnce(at(1000));
      expect(sender.calls).toContain('update C1 m1');
      expect(sender.messages('C1')[0]?.text).toContain('The bus leaves at 8:00.');
      expect(sender.messages('C1')[0]?.text).toContain(i18n.t('en', 'announcements')('revision.corrected'));
      expect(await worker.runOnce(at(3_600_000))).toBe(0);
      expect(sender.messages('C2')).toHaveLength(0);
      expect((await entries(store, 'A-8')).map((e) => e.state)).toEqual(['sent', 'cancelled']);
    },
  );

  it.skipIf(factory.skip)(
    'keeps rows for a platform that is not running until its sender registers',
    async () => {
      await enqueue(store, [
        { ...item('A-9', '998877', ['vi']), target: { platform: 'discord', kind: 'channel', id: '998877' } },
      ]);
      expect(await worker.runOnce(T0)).toBe(0);
      expect((await entries(store, 'A-9'))[0]).toMatchObject({ state: 'pending', attempts: 0 });
    },
  );
  it.skipIf(factory.skip)(
    'two workers on one database claim disjoint rows: every target posted once',
    async () => {
      const other = await factory.open(place);
      try {
        const second = new OutboxWorker({ store: other, senders, i18n, logger: silentLogger(), batch: 7 });
        const first = new OutboxWorker({ store, senders, i18n, logger: silentLogger(), batch: 7 });
        await enqueue(
          store,
          Array.from({ length: 40 }, (_, i) => item('A-20', `C${i}`, ['en'])),
        );
        let handled = 0;
        for (let round = 0; round < 10; round++) {
          const [a, b] = await Promise.all([first.runOnce(T0), second.runOnce(T0)]);
          expect(a).toBeLessThanOrEqual(7);
          expect(b).toBeLessThanOrEqual(7);
          handled += a + b;
          if (a + b === 0) break;
        }
        expect(handled).toBe(40);
        expect(sender.calls.filter((c) => c.startsWith('publish'))).toHaveLength(40);
        for (let i = 0; i < 40; i++) expect(sender.messages(`C${i}`)).toHaveLength(1);
        expect((await entries(store, 'A-20')).every((e) => e.state === 'sent')).toBe(true);
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(factory.skip)(
    'a worker killed mid-send is resumed by the other after its lease, without a double post',
    async () => {
      const other = await factory.open(place);
      try {
        // The first worker's platform takes the message, then the worker never comes back (killed).
        const stuck: OutboxSender = {
          platform: 'slack',
          post: async () => undefined,
          dm: async () => {},
          update: (c, m, r) => sender.update(c, m, r),
          dmChannel: (u) => sender.dmChannel(u),
          findMarker: (c, m) => sender.findMarker(c, m),
          publish: async (channel, reply) => {
            await sender.publish(channel, reply);
            return await new Promise<string>(() => {});
          },
        };
        const stuckSenders = new SenderRegistry();
        stuckSenders.register(stuck);
        const killed = new OutboxWorker({
          store: other,
          senders: stuckSenders,
          i18n,
          logger: silentLogger(),
          leaseMs: 60_000,
        });
        await enqueue(store, [item('A-21', 'C1', ['en'])]);
        void killed.runOnce(T0);
        await vi.waitFor(() => expect(sender.messages('C1')).toHaveLength(1));
        expect(await worker.runOnce(at(59_000))).toBe(0);
        expect(await worker.runOnce(at(60_000))).toBe(1);
        expect(sender.calls.filter((c) => c === 'publish C1')).toHaveLength(1);
        expect(sender.calls).toContain('history C1');
        expect(sender.messages('C1')).toHaveLength(1);
        expect((await entries(store, 'A-21'))[0]).toMatchObject({ state: 'sent', messageId: 'm1' });
      } finally {
        await other.close();
      }
    },
  );
});
