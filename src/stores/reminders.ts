/** Trainees' own reminders ("remind me 30 minutes before the DNA lecture"), one row per user, session and offset. */
import type { Kysely } from 'kysely';
import { DEFAULT_LANG, isLang, type Lang } from '../core/languages.js';
import type { Database, PersonalRemindersTable } from './schema.js';

export interface PersonalReminder {
  id: number;
  /** "platform:userId". */
  userKey: string;
  courseId: string;
  sessionId: string;
  offsetMinutes: number;
  lang: Lang;
  createdAt: string;
}

type Row = Omit<PersonalRemindersTable, 'id'> & { id: number };

function toReminder(row: Row): PersonalReminder {
  return {
    id: row.id,
    userKey: row.user_key,
    courseId: row.course_id,
    sessionId: row.session_id,
    offsetMinutes: row.offset_minutes,
    lang: isLang(row.lang) ? row.lang : DEFAULT_LANG,
    createdAt: row.created_at,
  };
}

export class PersonalReminderRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
  ) {}

  /** Adds a reminder; asking again for the same one keeps one row (in the latest language). */
  async add(r: Pick<PersonalReminder, 'userKey' | 'courseId' | 'sessionId' | 'offsetMinutes' | 'lang'>) {
    await this.db
      .insertInto('personal_reminders')
      .values({
        user_key: r.userKey,
        course_id: r.courseId,
        session_id: r.sessionId,
        offset_minutes: r.offsetMinutes,
        lang: r.lang,
        created_at: this.clock().toISOString(),
      })
      .onConflict((oc) =>
        oc.columns(['user_key', 'course_id', 'session_id', 'offset_minutes']).doUpdateSet({ lang: r.lang }),
      )
      .execute();
    const row = await this.db
      .selectFrom('personal_reminders')
      .selectAll()
      .where('user_key', '=', r.userKey)
      .where('course_id', '=', r.courseId)
      .where('session_id', '=', r.sessionId)
      .where('offset_minutes', '=', r.offsetMinutes)
      .executeTakeFirstOrThrow();
    return toReminder(row);
  }

  /** Every stored reminder (the scheduler plans those still ahead). */
  async all(): Promise<PersonalReminder[]> {
    const rows = await this.db.selectFrom('personal_reminders').selectAll().orderBy('id').execute();
    return rows.map(toReminder);
  }

  async forUser(userKey: string): Promise<PersonalReminder[]> {
    const rows = await this.db
      .selectFrom('personal_reminders')
      .selectAll()
      .where('user_key', '=', userKey)
      .orderBy('id')
      .execute();
    return rows.map(toReminder);
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom('personal_reminders').where('id', '=', id).execute();
  }
}
