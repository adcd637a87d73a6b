/** Users' Slack locales (`users.info` with `include_locale`), cached: a language hint, never required. */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { slackErrorCode } from './errors.js';

const usersInfoSchema = z.object({ user: z.object({ locale: z.string().max(35).optional() }).optional() });

interface Cached {
  locale: string | undefined;
  until: number;
}

export interface UserLocaleOptions {
  /** How long a locale is trusted. */
  ttlMs?: number;
  /** How long a failed look-up is not retried. */
  failureTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class UserLocales {
  private readonly cache = new Map<string, Cached>();
  /** Look-ups on their way: a user's burst of messages waits for one `users.info`, not one each. */
  private readonly pending = new Map<string, Promise<string | undefined>>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    options: UserLocaleOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 6 * 60 * 60 * 1000;
    this.failureTtlMs = options.failureTtlMs ?? 5 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The user's locale ("ja-JP"), or undefined when Slack does not say or the look-up fails. */
  async get(client: webApi.WebClient, userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.now()) return hit.locale;
    const waiting = this.pending.get(userId);
    if (waiting) return waiting;
    const lookup = this.lookUp(client, userId).finally(() => this.pending.delete(userId));
    this.pending.set(userId, lookup);
    return lookup;
  }

  private async lookUp(client: webApi.WebClient, userId: string): Promise<string | undefined> {
    let locale: string | undefined;
    let ttl = this.ttlMs;
    try {
      const parsed = usersInfoSchema.safeParse(
        await client.users.info({ user: userId, include_locale: true }),
      );
      locale = parsed.success ? parsed.data.user?.locale : undefined;
    } catch (err) {
      this.logger.warn(
        { code: slackErrorCode(err), method: 'users.info' },
        'slack: could not read the user locale',
      );
      ttl = this.failureTtlMs;
    }
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(userId, { locale, until: this.now() + ttl });
    return locale;
  }
}
