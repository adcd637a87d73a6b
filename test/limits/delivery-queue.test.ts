import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src/limits/delivery-queue.js';
import { silentLogger } from '../../src/logger.js';

class RateLimited extends Error {
  constructor(readonly retryAfter: number) {
    super('rate limited');
  }
}

const queue = (maxWaitMs?: number) =>
  new DeliveryQueue({
    retryAfter: (err) => (err instanceof RateLimited ? err.retryAfter : undefined),
    logger: silentLogger(),
    ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
  });

describe('the delivery queue', () => {
  it('sends the calls for one channel in order, even when the first one is slow', async () => {
    const q = queue();
    const sent: string[] = [];
    const slow = q.run('C1', async () => {
      await new Promise((r) => setTimeout(r, 50));
      sent.push('first');
    });
    const fast = q.run('C1', async () => {
      sent.push('second');
    });
    const other = q.run('C2', async () => {
      sent.push('other channel');
    });
    await Promise.all([slow, fast, other]);
    expect(sent).toEqual(['other channel', 'first', 'second']);
  });

  it('waits out "retry after" refusals and delivers once, holding later calls back meanwhile', async () => {
    const q = queue();
    const attempts: number[] = [];
    const order: string[] = [];
    let refusals = 2;
    const started = Date.now();
    const first = q.run('C1', async () => {
      attempts.push(Date.now() - started);
      if (refusals-- > 0) throw new RateLimited(0.1);
      order.push('answer 1');
    });
    const second = q.run('C1', async () => {
      order.push('answer 2');
    });
    await Promise.all([first, second]);
    expect(attempts).toHaveLength(3);
    expect(attempts[2]).toBeGreaterThanOrEqual(190);
    expect(order).toEqual(['answer 1', 'answer 2']);
  });

  it('runs the calls of different keys of one group side by side, each key in order', async () => {
    const q = queue();
    const sent: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = q.run(
      'C1/thread-1',
      async () => {
        await new Promise<void>((r) => {
          releaseSlow = r;
        });
        sent.push('thread 1, first');
      },
      'C1',
    );
    const later = q.run('C1/thread-1', async () => sent.push('thread 1, second'), 'C1');
    // Another thread of the same channel does not wait for thread 1's slow call.
    await q.run('C1/thread-2', async () => sent.push('thread 2'), 'C1');
    expect(sent).toEqual(['thread 2']);
    releaseSlow();
    await Promise.all([slow, later]);
    expect(sent).toEqual(['thread 2', 'thread 1, first', 'thread 1, second']);
  });

  it('holds back every key of the group while a refusal is waited out, and other groups not', async () => {
    const q = queue();
    const started = Date.now();
    const at: Record<string, number> = {};
    let refused = false;
    const first = q.run(
      'C1/thread-1',
      async () => {
        if (!refused) {
          refused = true;
          throw new RateLimited(0.3);
        }
        at['thread 1'] = Date.now() - started;
      },
      'C1',
    );
    // Let the refusal arrive, then send into another thread of C1 and into C2.
    await new Promise((r) => setTimeout(r, 20));
    const sameChannel = q.run('C1/thread-2', async () => (at['thread 2'] = Date.now() - started), 'C1');
    const otherChannel = q.run('C2', async () => (at.C2 = Date.now() - started));
    await Promise.all([first, sameChannel, otherChannel]);
    expect(at['thread 2']).toBeGreaterThanOrEqual(290);
    expect(at['thread 1']).toBeGreaterThanOrEqual(290);
    expect(at.C2).toBeLessThan(250);
  });

  it('gives up with the refusal when the wait would pass its limit, and other errors at once', async () => {
    const q = queue(500);
    await expect(q.run('C1', () => Promise.reject(new RateLimited(5)))).rejects.toBeInstanceOf(RateLimited);
    let calls = 0;
    await expect(
      q.run('C1', () => {
        calls++;
        return Promise.reject(new Error('channel_not_found'));
      }),
    ).rejects.toThrow('channel_not_found');
    expect(calls).toBe(1);
    // The channel's queue keeps working after failures.
    await expect(q.run('C1', async () => 'ok')).resolves.toBe('ok');
  });

  it('stops waiting when closed (shutdown)', async () => {
    const q = queue();
    const held = q.run('C1', () => Promise.reject(new RateLimited(30)));
    setTimeout(() => q.close(), 20);
    const started = Date.now();
    await expect(held).rejects.toBeInstanceOf(RateLimited);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
