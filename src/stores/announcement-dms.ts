/**
 * Users who asked for announcements by DM ("send me announcements by DM"), one row per user, with
 * the language to write to them in. Their course is their preference in `user_prefs` (if any).
 */
import type { Kysely } from 'kysely';
import { DEFAULT_LANG, isLang, type Lang } from '../core/languages.js';
import type { Database } from './schema.js';

export interface AnnouncementDmRecipient {
  /** "platform:userId". */
  userKey: string;
  lang: Lang;
  /** The course they chose, if they did. */
  course?: string;
}

export class AnnouncementDmRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
  ) {}

  /** Opts in (again: keeps one row, in the latest language). */
  async optIn(userKey: string, lang: Lang): Promise<void> {
    await this.db
      .insertInto('announcement_dms')
      .values({ user_key: userKey, lang, created_at: this.clock().toISOString() })
      .onConflict((oc) => oc.column('user_key').doUpdateSet({ lang }))
      .execute();
  }

  /** Opts out; true when the user had opted in. */
  async optOut(userKey: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('announcement_dms')
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async isOptedIn(userKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('announcement_dms')
      .select('user_key')
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Everyone who opted in, with the course from their preferences. */
  async recipients(): Promise<AnnouncementDmRecipient[]> {
    const rows = await this.db
      .selectFrom('announcement_dms as d')
      .leftJoin('user_prefs as p', 'p.user_key', 'd.user_key')
      .select(['d.user_key', 'd.lang', 'p.course'])
      .orderBy('d.user_key')
      .execute();
    return rows.map((r) => ({
      userKey: r.user_key,
      lang: isLang(r.lang) ? r.lang : DEFAULT_LANG,
      ...(r.course ? { course: r.course } : {}),
    }));
  }
}
