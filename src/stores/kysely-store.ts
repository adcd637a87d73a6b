/** The store over Kysely: SQLite by default (`KOBAN_DATA_DIR/koban.db`), or PostgreSQL; migrated on open. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { AnnouncementDmRepo } from './announcement-dms.js';
import { AnnouncementRepo } from './announcements.js';
import { AuditRepo } from './audit.js';
import { ContextRepo } from './context.js';
import {
  type DialectName,
  type OpenedDatabase,
  openPostgres,
  openSqlite,
  type PostgresSettings,
  type SqliteSync,
} from './db.js';
import { StoreOpenError, storeOpenError } from './errors.js';
import { FeedbackRepo } from './feedback.js';
import { HandoffRepo } from './handoffs.js';
import { migrate } from './migrations.js';
import { ProcessedEventsRepo } from './processed-events.js';
import { PersonalReminderRepo } from './reminders.js';
import type { Database } from './schema.js';
import type { Store, UserPrefs } from './store.js';
import { UnansweredRepo } from './unanswered.js';
import { UserRepo } from './users.js';
import { VisitRepo } from './visits.js';
import { WebTokenRepo } from './web-tokens.js';

export interface StoreOptions {
  /** A SQLite file, or ":memory:"; not used when `postgres` is set. */
  path: string;
  /** When SQLite flushes commits to the disk (KOBAN_SQLITE_SYNC, default normal). */
  sqliteSync?: SqliteSync | undefined;
  /** Checkpoint SQLite's write-ahead log in a worker thread, off the event loop (the long-running bot). */
  sqliteBackgroundCheckpoints?: boolean | undefined;
  /** Use this PostgreSQL server instead of the SQLite file (KOBAN_DATABASE_URL). */
  postgres?: PostgresSettings | undefined;
  clock?: () => Date;
  logger?: Logger;
  /** Delete unanswered questions older than this many days, at open and then daily. */
  retentionDays?: number;
  /** The first release's `unanswered.jsonl`, imported once when present. */
  legacyUnansweredPath?: string;
  /** This instance's name in processed_events (default host:pid). */
  instance?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
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
  readonly webTokens: WebTokenRepo;
  readonly events: ProcessedEventsRepo;
  readonly context: ContextRepo;
  readonly feedback: FeedbackRepo;
  readonly announcements: AnnouncementRepo;
  readonly reminders: PersonalReminderRepo;
  readonly handoffs: HandoffRepo;
  readonly announcementDms: AnnouncementDmRepo;
  private timer: NodeJS.Timeout | undefined;
  private eventsTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    readonly location: string,
    readonly unanswered: UnansweredRepo,
    private readonly clock: () => Date,
    instance: string,
  ) {
    this.events = new ProcessedEventsRepo(db, instance);
    this.users = new UserRepo(db, clock);
    this.audit = new AuditRepo(db);
    this.visits = new VisitRepo(db, this.audit);
    this.webTokens = new WebTokenRepo(db);
    this.context = new ContextRepo(db);
    this.feedback = new FeedbackRepo(db);
    this.announcements = new AnnouncementRepo(db, this.audit);
    this.reminders = new PersonalReminderRepo(db, clock);
    this.handoffs = new HandoffRepo(db);
    this.announcementDms = new AnnouncementDmRepo(db, clock);
  }

  /** Opens and migrates the store; any failure is a StoreOpenError with one sentence for the operator. */
  static async open(options: StoreOptions): Promise<KyselyStore> {
    const clock = options.clock ?? (() => new Date());
    const opened: OpenedDatabase = options.postgres
      ? await openPostgres(options.postgres, (err) =>
          options.logger?.warn({ err: err.message }, 'database: an idle connection was closed; reconnecting'),
        )
      : openSqlite(options.path, options.sqliteSync, {
          background: options.sqliteBackgroundCheckpoints ?? false,
          onProblem: (message) =>
            options.logger?.warn({ err: message }, 'database: a background checkpoint failed'),
        });
    const { db, dialect, legacyVersion, location } = opened;
    try {
      await migrate(db as Kysely<unknown>, dialect, location, legacyVersion);
      const store = new KyselyStore(
        db,
        dialect,
        location,
        new UnansweredRepo(db, await userHashSalt(db)),
        clock,
        options.instance ?? `${hostname()}:${process.pid}`,
      );
      await store.pruneEvents(options.logger);
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
      throw storeOpenError('unknown', location, err instanceof Error ? err.message : String(err));
    }
  }

  getUser(key: string): Promise<UserPrefs> {
    return this.users.get(key);
  }

  updateUser(key: string, patch: Partial<UserPrefs>): Promise<void> {
    return this.users.update(key, patch);
  }

  /** Forgets handled platform events after a day (retries come within minutes), now and hourly. */
  private async pruneEvents(logger: Logger | undefined): Promise<void> {
    const sweep = async (): Promise<void> => {
      try {
        await this.events.prune(new Date(this.clock().getTime() - DAY_MS));
      } catch (err) {
        logger?.warn({ err }, 'could not prune handled events; will retry in an hour');
      }
    };
    await sweep();
    this.eventsTimer = setInterval(() => void sweep(), HOUR_MS);
    this.eventsTimer.unref();
  }

  /** Deletes personal data past the retention period now and once a day. */
  private async keepFor(days: number, logger: Logger | undefined): Promise<void> {
    const sweep = async (): Promise<void> => {
      try {
        const before = new Date(this.clock().getTime() - days * DAY_MS);
        const deleted = await this.unanswered.purge(before);
        await this.visits.dropDraftsBefore(before);
        // Contexts are only read for 30 minutes: none is kept longer than a day.
        await this.context.purge(new Date(this.clock().getTime() - DAY_MS));
        await this.feedback.purge(before);
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
    if (this.eventsTimer) clearInterval(this.eventsTimer);
    await this.db.destroy();
  }
}
