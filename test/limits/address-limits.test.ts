import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { AddressLimits } from '../../src/limits/address-limits.js';
import { silentLogger } from '../../src/logger.js';

describe('AddressLimits', () => {
  it('admits an address up to its limit, then refuses it, while other addresses pass', async () => {
    const limits = new AddressLimits({ points: 2, seconds: 60 }, silentLogger());
    expect([await limits.admit('10.0.0.1'), await limits.admit('10.0.0.1')]).toEqual([true, true]);
    expect(await limits.admit('10.0.0.1')).toBe(false);
    expect(await limits.admit('10.0.0.2')).toBe(true);
  });

  it('is off at 0, and lets requests through when its store fails', async () => {
    const off = new AddressLimits({ points: 0, seconds: 60 }, silentLogger());
    for (let i = 0; i < 5; i++) expect(await off.admit('a')).toBe(true);
    const broken = new RateLimiterMemory({ points: 1, duration: 60 });
    broken.consume = () => Promise.reject(new Error('store down'));
    expect(await new AddressLimits({ points: 1, seconds: 60 }, silentLogger(), broken).admit('a')).toBe(true);
  });
});
