/** User preferences (language, course), keyed by "platform:userId". */
import type { Kysely } from 'kysely';
import { isLang } from '../core/languages.js';
import type { Database } from './schema.js';
import type { UserPrefs } from './store.js';

export class UserRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
  ) {}

  async get(key: string, db: Kysely<Database> = this.db): Promise<UserPrefs> {
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
    await this.db.transaction().execute(async (trx) => {
      const next = { ...(await this.get(key, trx)), ...patch };
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
  }
}
