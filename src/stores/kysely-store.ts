/** The store over Kysely: SQLite by default (`KOBAN_DATA_DIR/koban.db`), migrated on open. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { AuditRepo } from './audit.js';
import { openSqlite } from './db.js';
import { StoreOpenError, storeOpenError } from './errors.js';
import { migrate } from './migrations.js';
import { PersonalReminderRepo } from './reminders.js';
import type { Database } from './schema.js';
import type { Store, UserPrefs } from './store.js';
import { UnansweredRepo } from './unanswered.js';
import { UserRepo } from './users.js';
import { VisitRepo } from './visits.js';

export interface StoreOptions {
  /** A SQLite file, or ":memory:". */
  path: string;
  clock?: () => Date;
  logger?: Logger;
  /** Delete unanswered questions older than this many days, at open and then daily. */
  retentionDays?: number;
  /** The first release's `unanswered.jsonl`, imported once when present. */
  legacyUnansweredPath?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SALT_KEY = 'user-hash-salt';

async function userHashSalt(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('meta')
    .values({ key: SALT_KEY, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', SALT_KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}

export class KyselyStore implements Store {
  private readonly users: UserRepo;
  readonly audit: AuditRepo;
  readonly visits: VisitRepo;
  readonly reminders: PersonalReminderRepo;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly db: Kysely<Database>,
    readonly location: string,
    readonly unanswered: UnansweredRepo,
    private readonly clock: () => Date,
  ) {
    this.users = new UserRepo(db, clock);
    this.audit = new AuditRepo(db);
    this.visits = new VisitRepo(db, this.audit);
    this.reminders = new PersonalReminderRepo(db, clock);
  }

  /** Opens and migrates the store; any failure is a StoreOpenError with one sentence for the operator. */
  static async open(options: StoreOptions): Promise<KyselyStore> {
    const clock = options.clock ?? (() => new Date());
    const { db, dialect, legacyVersion } = openSqlite(options.path);
    try {
      await migrate(db as Kysely<unknown>, dialect, options.path, legacyVersion);
      const store = new KyselyStore(db, options.path, new UnansweredRepo(db, await userHashSalt(db)), clock);
      if (options.legacyUnansweredPath) {
        const done = await store.unanswered.importJsonl(options.legacyUnansweredPath);
        if (done)
          options.logger?.info(
            { ...done, file: `${options.legacyUnansweredPath}.imported` },
            'imported the unanswered-questions log into the database; the renamed file may be deleted',
          );
      }
      if (options.retentionDays !== undefined) await store.keepFor(options.retentionDays, options.logger);
      return store;
    } catch (err) {
      await db.destroy();
      if (err instanceof StoreOpenError) throw err;
      throw storeOpenError('unknown', options.path, err instanceof Error ? err.message : String(err));
    }
  }

  getUser(key: string): Promise<UserPrefs> {
    return this.users.get(key);
  }

  updateUser(key: string, patch: Partial<UserPrefs>): Promise<void> {
    return this.users.update(key, patch);
  }

  /** Deletes personal data past the retention period now and once a day. */
  private async keepFor(days: number, logger: Logger | undefined): Promise<void> {
    const sweep = async (): Promise<void> => {
      try {
        const before = new Date(this.clock().getTime() - days * DAY_MS);
        const deleted = await this.unanswered.purge(before);
        await this.visits.dropDraftsBefore(before);
        if (deleted > 0) logger?.info({ deleted, days }, 'deleted unanswered questions past retention');
      } catch (err) {
        logger?.warn({ err }, 'could not delete old unanswered questions; will retry tomorrow');
      }
    };
    await sweep();
    this.timer = setInterval(() => void sweep(), DAY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.db.destroy();
  }
}
