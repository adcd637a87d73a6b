/**
 * Per-user and per-channel limits on incoming messages (rate-limiter-flexible). Past a limit the
 * sender gets one notice, then silence until the window passes. The limiters are injectable, so a
 * multi-instance deployment can give every instance the same shared store (e.g. RateLimiterRedis).
 */
import { createRequire } from 'node:module';
import type * as RateLimiterFlexible from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { IncomingMessage } from '../core/message.js';
import type { Logger } from '../logger.js';
import type { LimitScope } from '../server/metrics.js';

export interface LimitSettings {
  /** Messages one user may send per window; 0 turns the limit off. */
  userPoints: number;
  userSeconds: number;
  /** Messages one channel may carry per window; 0 turns the limit off. */
  channelPoints: number;
  channelSeconds: number;
}

/** The limits from KOBAN_USER_LIMIT(_SECONDS) and KOBAN_CHANNEL_LIMIT(_SECONDS). */
export function limitSettings(
  config: Pick<
    Config,
    'KOBAN_USER_LIMIT' | 'KOBAN_USER_LIMIT_SECONDS' | 'KOBAN_CHANNEL_LIMIT' | 'KOBAN_CHANNEL_LIMIT_SECONDS'
  >,
): LimitSettings {
  return {
    userPoints: config.KOBAN_USER_LIMIT,
    userSeconds: config.KOBAN_USER_LIMIT_SECONDS,
    channelPoints: config.KOBAN_CHANNEL_LIMIT,
    channelSeconds: config.KOBAN_CHANNEL_LIMIT_SECONDS,
  };
}

export type Verdict =
  | { kind: 'pass' }
  /** The first message past the limit in this window: tell the sender once. */
  | { kind: 'notice'; scope: LimitScope; retryAfterMs: number }
  /** Past the limit and already told: say nothing. */
  | { kind: 'silent'; scope: LimitScope; retryAfterMs: number };

export interface LimitOptions {
  logger: Logger;
  /** Replace the in-memory limiters (a shared store for several instances). */
  user?: RateLimiterAbstract;
  channel?: RateLimiterAbstract;
  now?: () => number;
}

const require = createRequire(import.meta.url);
let library: typeof RateLimiterFlexible | undefined;
/** rate-limiter-flexible, loaded when a platform message is first counted (`koban ask` never is). */
function limiterLibrary(): typeof RateLimiterFlexible {
  library ??= require('rate-limiter-flexible') as typeof RateLimiterFlexible;
  return library;
}

/** Platforms whose users are limited; the console and the CLI are the operator's own. */
const LIMITED: ReadonlySet<IncomingMessage['platform']> = new Set(['slack', 'discord', 'web']);

export class MessageLimits {
  private user: RateLimiterAbstract | undefined;
  private channel: RateLimiterAbstract | undefined;
  /** The in-memory limiters are made on the first limited message. */
  private made = false;
  /** Limiter key → until when its notice has been given. */
  private readonly told = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly settings: LimitSettings,
    private readonly options: LimitOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Loads rate-limiter-flexible and makes the limiters now (`koban start` does, once ready). */
  prepare(): void {
    if (this.made) return;
    this.made = true;
    const { settings, options } = this;
    const { RateLimiterMemory } = limiterLibrary();
    this.user =
      options.user ??
      (settings.userPoints > 0
        ? new RateLimiterMemory({
            keyPrefix: 'user',
            points: settings.userPoints,
            duration: settings.userSeconds,
          })
        : undefined);
    this.channel =
      options.channel ??
      (settings.channelPoints > 0
        ? new RateLimiterMemory({
            keyPrefix: 'channel',
            points: settings.channelPoints,
            duration: settings.channelSeconds,
          })
        : undefined);
  }

  /** Counts the message against its user and channel, and says whether to answer it. */
  async admit(msg: Pick<IncomingMessage, 'platform' | 'userId' | 'channelId'>): Promise<Verdict> {
    if (!LIMITED.has(msg.platform)) return { kind: 'pass' };
    this.prepare();
    const userVerdict = await this.consume(this.user, `${msg.platform}:${msg.userId}`, 'user');
    if (userVerdict.kind !== 'pass' || msg.channelId === undefined) return userVerdict;
    return await this.consume(this.channel, `${msg.platform}:${msg.channelId}`, 'channel');
  }

  private async consume(
    limiter: RateLimiterAbstract | undefined,
    key: string,
    scope: LimitScope,
  ): Promise<Verdict> {
    if (!limiter) return { kind: 'pass' };
    try {
      await limiter.consume(key);
      return { kind: 'pass' };
    } catch (err) {
      if (!(err instanceof limiterLibrary().RateLimiterRes)) {
        // A shared store that is down must not silence the bot: answer, and tell the operator.
        this.options.logger.warn({ err, scope }, 'rate limiter unavailable; answering without a limit');
        return { kind: 'pass' };
      }
      const now = this.now();
      const toldKey = `${scope}:${key}`;
      if ((this.told.get(toldKey) ?? 0) > now)
        return { kind: 'silent', scope, retryAfterMs: err.msBeforeNext };
      this.forgetExpired(now);
      this.told.set(toldKey, now + err.msBeforeNext);
      return { kind: 'notice', scope, retryAfterMs: err.msBeforeNext };
    }
  }

  private forgetExpired(now: number): void {
    if (this.told.size < 1000) return;
    for (const [key, until] of this.told) if (until <= now) this.told.delete(key);
  }
}
