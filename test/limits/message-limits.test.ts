import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/core/message.js';
import { MessageLimits, type Verdict } from '../../src/limits/message-limits.js';
import { silentLogger } from '../../src/logger.js';

const logger = silentLogger();
const from = (userId: string, channelId = 'C1', platform: IncomingMessage['platform'] = 'slack') => ({
  platform,
  userId,
  channelId,
});
const kinds = async (limits: MessageLimits, msgs: ReturnType<typeof from>[]): Promise<Verdict['kind'][]> => {
  const out: Verdict['kind'][] = [];
  for (const m of msgs) out.push((await limits.admit(m)).kind);
  return out;
};

describe('message limits', () => {
  it('lets a user send up to the limit, tells them once, then stays silent', async () => {
    const limits = new MessageLimits(
      { userPoints: 3, userSeconds: 30, channelPoints: 0, channelSeconds: 60 },
      { logger },
    );
    const verdicts = await kinds(
      limits,
      Array.from({ length: 6 }, () => from('U1')),
    );
    expect(verdicts).toEqual(['pass', 'pass', 'pass', 'notice', 'silent', 'silent']);
    // Another user is not affected.
    expect((await limits.admit(from('U2'))).kind).toBe('pass');
  });

  it('says how long to wait, and answers again once the window has passed', async () => {
    const limits = new MessageLimits(
      { userPoints: 1, userSeconds: 1, channelPoints: 0, channelSeconds: 60 },
      { logger },
    );
    expect((await limits.admit(from('U1'))).kind).toBe('pass');
    const notice = await limits.admit(from('U1'));
    expect(notice).toMatchObject({ kind: 'notice', scope: 'user' });
    expect(notice.kind === 'notice' && notice.retryAfterMs).toBeGreaterThan(0);
    expect(notice.kind === 'notice' && notice.retryAfterMs).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await kinds(limits, [from('U1'), from('U1')])).toEqual(['pass', 'notice']);
  });

  it('limits a busy channel across its users, telling the channel once', async () => {
    const limits = new MessageLimits(
      { userPoints: 10, userSeconds: 30, channelPoints: 4, channelSeconds: 60 },
      { logger },
    );
    const verdicts = await kinds(
      limits,
      ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'].map((u) => from(u, 'CBUSY')),
    );
    expect(verdicts).toEqual(['pass', 'pass', 'pass', 'pass', 'notice', 'silent']);
    expect((await limits.admit(from('U5', 'CBUSY'))).kind === 'silent').toBe(true);
    expect((await limits.admit(from('U5', 'COTHER'))).kind).toBe('pass');
  });

  it('never limits the console or the command line', async () => {
    const limits = new MessageLimits(
      { userPoints: 1, userSeconds: 30, channelPoints: 1, channelSeconds: 60 },
      { logger },
    );
    const msgs = Array.from({ length: 5 }, () => from('me', 'C1', 'console'));
    expect(await kinds(limits, msgs)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('counts in a shared limiter store, as several instances would', async () => {
    const shared = new RateLimiterMemory({ keyPrefix: 'u', points: 2, duration: 30 });
    const settings = { userPoints: 2, userSeconds: 30, channelPoints: 0, channelSeconds: 60 };
    const a = new MessageLimits(settings, { logger, user: shared });
    const b = new MessageLimits(settings, { logger, user: shared });
    expect((await a.admit(from('U1'))).kind).toBe('pass');
    expect((await b.admit(from('U1'))).kind).toBe('pass');
    expect((await a.admit(from('U1'))).kind).toBe('notice');
  });

  it('answers without a limit when the limiter store fails', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 30 });
    broken.consume = () => Promise.reject(new Error('store down'));
    const limits = new MessageLimits(
      { userPoints: 1, userSeconds: 30, channelPoints: 0, channelSeconds: 60 },
      { logger, user: broken },
    );
    expect(await kinds(limits, [from('U1'), from('U1')])).toEqual(['pass', 'pass']);
  });
});
