/**
 * A limit per client address (the web chat: anonymous visitors can make new sessions at will, so
 * their address is limited too). Like `MessageLimits`, the limiter is injectable for a shared store,
 * and a store that is down lets requests through with a warning.
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';

export interface AddressLimitSettings {
  /** Requests one address may make per window; 0 turns the limit off. */
  points: number;
  seconds: number;
}

export class AddressLimits {
  private readonly limiter: RateLimiterAbstract | undefined;

  constructor(
    settings: AddressLimitSettings,
    private readonly logger: Logger,
    limiter?: RateLimiterAbstract,
  ) {
    this.limiter =
      limiter ??
      (settings.points > 0
        ? new RateLimiterMemory({ keyPrefix: 'address', points: settings.points, duration: settings.seconds })
        : undefined);
  }

  /** Counts one request from `address`; false when it is past the limit. */
  async admit(address: string): Promise<boolean> {
    if (!this.limiter) return true;
    try {
      await this.limiter.consume(address);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      this.logger.warn({ err }, 'address rate limiter unavailable; answering without it');
      return true;
    }
  }
}
