/** User preferences (language, course), keyed by "platform:userId". */
import type { Kysely } from 'kysely';
import { isLang } from '../core/languages.js';
import type { Database } from './schema.js';
import type { UserPrefs } from './store.js';

/** How long a user's preferences are answered from memory, and for how many users. */
export interface UserCacheOptions {
  /**
   * A change made by another process (another instance on the same database) shows after at most
   * this long; this process's own changes show at once (written through).
   */
  ttlMs: number;
  maxUsers: number;
}

export const USER_CACHE: UserCacheOptions = { ttlMs: 60_000, maxUsers: 10_000 };

export class UserRepo {
  /** Preferences read or written lately, oldest first (a Map keeps insertion order). */
  private readonly cache = new Map<string, { prefs: UserPrefs; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
    private readonly cacheOptions: UserCacheOptions = USER_CACHE,
  ) {}

  /** A user's preferences: from memory when read or written within the cache's time, else the database. */
  async get(key: string): Promise<UserPrefs> {
    const now = this.clock().getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.cacheOptions.ttlMs) return { ...hit.prefs };
    const prefs = await this.read(key, this.db);
    this.remember(key, prefs, now);
    return { ...prefs };
  }

  private remember(key: string, prefs: UserPrefs, at: number): void {
    if (this.cacheOptions.maxUsers <= 0) return;
    this.cache.delete(key);
    this.cache.set(key, { prefs: { ...prefs }, at });
    if (this.cache.size > this.cacheOptions.maxUsers) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private async read(key: string, db: Kysely<Database>): Promise<UserPrefs> {
    const row = await db
      .selectFrom('user_prefs')
      .select(['lang', 'detected_lang', 'course'])
      .where('user_key', '=', key)
      .executeTakeFirst();
    const prefs: UserPrefs = {};
    if (!row) return prefs;
    if (isLang(row.lang)) prefs.lang = row.lang;
    if (isLang(row.detected_lang)) prefs.detectedLang = row.detected_lang;
    if (row.course) prefs.course = row.course;
    return prefs;
  }

  /** Read, merge and write in one transaction, so two turns never lose each other's change. */
  async update(key: string, patch: Partial<UserPrefs>): Promise<void> {
    let next: UserPrefs = {};
    await this.db.transaction().execute(async (trx) => {
      next = { ...(await this.read(key, trx)), ...patch };
      const values = {
        lang: next.lang ?? null,
        detected_lang: next.detectedLang ?? null,
        course: next.course ?? null,
        updated_at: this.clock().toISOString(),
      };
      await trx
        .insertInto('user_prefs')
        .values({ user_key: key, ...values })
        .onConflict((oc) => oc.column('user_key').doUpdateSet(values))
        .execute();
    });
    this.remember(key, next, this.clock().getTime());
  }
}
