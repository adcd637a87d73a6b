import { describe, expect, it } from 'vitest';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { storeFactories } from '../helpers/postgres.js';

const t0 = new Date('2027-01-20T08:00:00Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);

describe('conversation context', () => {
  it('is kept for 30 minutes, then gone', async () => {
    const store = await KyselyStore.open({ path: ':memory:' });
    const last = {
      intent: 'faq' as const,
      at: t0.toISOString(),
      lang: 'en' as const,
      question: 'what is a koban?',
      entryId: 'koban-what-is',
      suggestions: [],
      sessions: [],
    };
    await store.context.put(
      'slack:U1',
      { last, turns: [{ from: 'user', text: 'hi', at: t0.toISOString() }] },
      t0,
    );
    expect((await store.context.get('slack:U1', later(29)))?.last?.entryId).toBe('koban-what-is');
    expect(await store.context.get('slack:U1', later(31))).toBeUndefined();
    expect(await store.context.get('slack:U2', later(1))).toBeUndefined();
    await store.close();
  });

  it('keeps only the last few turns', async () => {
    const store = await KyselyStore.open({ path: ':memory:' });
    const turns = Array.from({ length: 20 }, (_, i) => ({
      from: 'user' as const,
      text: `m${i}`,
      at: t0.toISOString(),
    }));
    await store.context.put('k', { turns }, t0);
    const got = await store.context.get('k', t0);
    expect(got?.turns.length).toBeLessThan(20);
    expect(got?.turns.at(-1)?.text).toBe('m19');
    await store.close();
  });
});

describe('feedback', () => {
  it('ranks entries by unhelpful votes, with the questions redacted', async () => {
    const store = await KyselyStore.open({ path: ':memory:' });
    const vote = (entryId: string, helpful: boolean, question = 'q') =>
      store.feedback.record({
        at: t0.toISOString(),
        platform: 'slack',
        entryId,
        lang: 'en',
        question,
        helpful,
      });
    await vote('a', true);
    await vote('b', false, 'call me at +81 90 1234 5678 about wifi');
    await vote('b', false);
    await vote('c', false);
    await vote('c', true);
    const list = await store.feedback.byEntry();
    expect(list.map((e) => [e.entryId, e.unhelpful, e.helpful])).toEqual([
      ['b', 2, 0],
      ['c', 1, 1],
      ['a', 0, 1],
    ]);
    expect(list[0]?.questions.map((q) => q.text)).toContain('call me at [phone] about wifi');
    expect(await store.feedback.byEntry({ since: later(1).toISOString() })).toEqual([]);
    await store.close();
  });
});

describe('conversation memory', () => {
  it('stores what the user typed redacted', async () => {
    const { ConversationMemory } = await import('../../src/assistant/conversation-memory.js');
    const { makeReply } = await import('../../src/assistant/reply-builder.js');
    const { silentLogger } = await import('../../src/logger.js');
    const store = await KyselyStore.open({ path: ':memory:' });
    const memory = new ConversationMemory(store.context, silentLogger(), () => 'Asia/Tokyo');
    const turn = {
      msg: { platform: 'console' as const, userId: 'u', text: '', direct: true },
      text: 'wifi? mail me at aiko@example.com',
      lang: 'en' as const,
      t: ((k: string) => k) as never,
      userKey: 'console:u',
      prefs: {},
      now: t0,
    };
    await memory.record(
      turn,
      makeReply({ intent: 'faq', lang: 'en', text: 'answer', entryId: 'trainee-wifi-it' }),
    );
    const got = await store.context.get('console:u', t0);
    expect(got?.last?.question).toBe('wifi? mail me at [email]');
    expect(JSON.stringify(got)).not.toContain('aiko@example.com');
    await store.close();
  });
});

describe.each(storeFactories)('the context with the open hand-off on $name', (factory) => {
  it.skipIf(factory.skip)('reads what get and openFor read, in one statement', async () => {
    const store = await factory.open(await factory.place());
    try {
      const both = (key: string, now: Date) => store.context.getWithHandoff(key, now);
      const apart = async (key: string, now: Date) => ({
        context: await store.context.get(key, now),
        handoff: await store.handoffs.openFor(key),
      });
      // Nothing stored.
      expect(await both('slack:U1', t0)).toEqual({ context: undefined, handoff: undefined });
      await store.context.put(
        'slack:U1',
        { turns: [{ from: 'user', text: 'hi', at: t0.toISOString() }] },
        t0,
      );
      const handoff = (userKey: string, threadId: string) =>
        store.handoffs.create({
          userKey,
          platform: 'slack',
          userId: userKey.slice(6),
          channelId: 'C1',
          threadId,
          lang: 'ja',
          createdAt: t0.toISOString(),
        });
      // Another user's hand-off is not this user's.
      await handoff('slack:U2', '1.1');
      expect(await both('slack:U1', later(1))).toEqual(await apart('slack:U1', later(1)));
      expect((await both('slack:U1', later(1))).handoff).toBeUndefined();
      // The newest open one, closed ones left out; the context expires as `get`'s does.
      const first = await handoff('slack:U1', '2.1');
      const second = await handoff('slack:U1', '2.2');
      expect((await both('slack:U1', later(1))).handoff).toEqual(second);
      await store.handoffs.close(second.id, later(2).toISOString());
      for (const at of [later(3), later(31)]) {
        const read = await both('slack:U1', at);
        expect(read).toEqual(await apart('slack:U1', at));
        expect(read.handoff?.id).toBe(first.id);
      }
      expect((await both('slack:U1', later(3))).context?.turns[0]?.text).toBe('hi');
      expect((await both('slack:U1', later(31))).context).toBeUndefined();
      // A hand-off with no context.
      expect(await both('slack:U2', t0)).toEqual(await apart('slack:U2', t0));
      expect((await both('slack:U2', t0)).handoff?.threadId).toBe('1.1');
    } finally {
      await store.close();
    }
  });
});
