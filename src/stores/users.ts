/** User preferences (language, course), keyed by "platform:userId". */
import type { Kysely } from 'kysely';
import { isLang } from '../core/languages.js';
import { hotQuery } from './hot-query.js';
import type { Database, UserPrefsTable } from './schema.js';
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

type PrefsRow = Pick<UserPrefsTable, 'lang' | 'detected_lang' | 'course'>;

function toPrefs(row: PrefsRow): UserPrefs {
  const prefs: UserPrefs = {};
  if (isLang(row.lang)) prefs.lang = row.lang;
  if (isLang(row.detected_lang)) prefs.detectedLang = row.detected_lang;
  if (row.course) prefs.course = row.course;
  return prefs;
}

const PATCHABLE = ['lang', 'detectedLang', 'course'] as const;
type Patchable = (typeof PATCHABLE)[number];

/** The upsert of one set of patched fields (a new user gets nulls for the others), compiled once. */
const upsertQuery = (db: Kysely<Database>, shape: readonly Patchable[]) =>
  hotQuery(
    db,
    5,
    (userKey: string, lang: string | null, detectedLang: string | null, course: string | null, at: string) =>
      db
        .insertInto('user_prefs')
        .values({ user_key: userKey, lang, detected_lang: detectedLang, course, updated_at: at })
        .onConflict((oc) =>
          oc.column('user_key').doUpdateSet((eb) => ({
            updated_at: eb.ref('excluded.updated_at'),
            ...(shape.includes('lang') ? { lang: eb.ref('excluded.lang') } : {}),
            ...(shape.includes('detectedLang') ? { detected_lang: eb.ref('excluded.detected_lang') } : {}),
            ...(shape.includes('course') ? { course: eb.ref('excluded.course') } : {}),
          })),
        )
        .returning(['lang', 'detected_lang', 'course']),
  );

export class UserRepo {
  /** Preferences read or written lately, oldest first (a Map keeps insertion order). */
  private readonly cache = new Map<string, { prefs: UserPrefs; at: number }>();
  /** The upserts made so far, by the fields they set. */
  private readonly writes = new Map<string, ReturnType<typeof upsertQuery>>();

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
    return row ? toPrefs(row) : {};
  }

  /**
   * Writes the patched preferences in one statement (an upsert that sets only the patched columns
   * and returns the whole row), so two turns never lose each other's change.
   */
  async update(key: string, patch: Partial<UserPrefs>): Promise<void> {
    const shape = PATCHABLE.filter((field) => field in patch);
    const name = shape.join(' ');
    let write = this.writes.get(name);
    if (!write) {
      write = upsertQuery(this.db, shape);
      this.writes.set(name, write);
    }
    const row = (
      await write(
        key,
        patch.lang ?? null,
        patch.detectedLang ?? null,
        patch.course ?? null,
        this.clock().toISOString(),
      )
    ).rows[0];
    this.remember(key, row ? toPrefs(row) : { ...patch }, this.clock().getTime());
  }
}
