/**
 * Versioned schema changes, applied in order by Kysely's Migrator at start. Never edit a released
 * migration: add the next one. SQL here must run on SQLite and PostgreSQL alike (dialect bits in db.ts).
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { addIdColumn, type DialectName, LEGACY_SCHEMA_VERSION } from './db.js';
import { storeOpenError } from './errors.js';

/** Kysely migrations take an untyped database: the schema is what they build. */
type AnyDb = Kysely<unknown>;

function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    // The table of the first release; "if not exists" adopts a file that release wrote.
    '0001_user_prefs': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('user_prefs')
          .ifNotExists()
          .addColumn('user_key', 'text', (c) => c.primaryKey())
          .addColumn('lang', 'text')
          .addColumn('detected_lang', 'text')
          .addColumn('course', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002_unanswered_and_meta': {
      async up(db: AnyDb) {
        await addIdColumn(db.schema.createTable('unanswered'), dialect)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('user_hash', 'text', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('confidence', 'real', (c) => c.notNull())
          .addColumn('suggestions', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('unanswered_at').on('unanswered').column('at').execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0003_visits_and_audit': {
      async up(db: AnyDb) {
        await addIdColumn(db.schema.createTable('visit_requests'), dialect)
          .addColumn('ref', 'text', (c) => c.notNull().unique())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('requester', 'text', (c) => c.notNull())
          .addColumn('requester_lang', 'text', (c) => c.notNull())
          .addColumn('organization', 'text', (c) => c.notNull())
          .addColumn('country', 'text', (c) => c.notNull())
          .addColumn('contact_name', 'text', (c) => c.notNull())
          .addColumn('contact_email', 'text', (c) => c.notNull())
          .addColumn('group_size', 'integer', (c) => c.notNull())
          .addColumn('preferred_dates', 'text', (c) => c.notNull())
          .addColumn('interests', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('interpreter', 'integer', (c) => c.notNull())
          .addColumn('needs', 'text')
          .addColumn('notes', 'text')
          .addColumn('visit_date', 'text')
          .addColumn('meeting_point', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('visit_requests_year_seq', ['year', 'seq'])
          .execute();
        await db.schema.createIndex('visit_requests_status').on('visit_requests').column('status').execute();
        await db.schema
          .createIndex('visit_requests_requester')
          .on('visit_requests')
          .column('requester')
          .execute();
        await addIdColumn(db.schema.createTable('visit_status_history'), dialect)
          .addColumn('request_id', 'integer', (c) =>
            c.notNull().references('visit_requests.id').onDelete('cascade'),
          )
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('visit_status_history_request')
          .on('visit_status_history')
          .column('request_id')
          .execute();
        await addIdColumn(db.schema.createTable('audit_log'), dialect)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
        await db.schema
          .createTable('visit_drafts')
          .addColumn('user_key', 'text', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0004_announcements_outbox': {
      async up(db: AnyDb) {
        await addIdColumn(db.schema.createTable('announcements'), dialect)
          .addColumn('ref', 'text', (c) => c.unique())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('due_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await addIdColumn(db.schema.createTable('outbox'), dialect)
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ref_id', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('due_at', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('dirty', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('claim_token', 'text')
          .addColumn('lease_until', 'text')
          .addColumn('channel_id', 'text')
          .addColumn('message_id', 'text')
          .addColumn('error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('outbox_ref_target', ['ref_id', 'target'])
          .execute();
        await db.schema
          .createIndex('outbox_due')
          .on('outbox')
          .columns(['state', 'next_attempt_at'])
          .execute();
        await addIdColumn(db.schema.createTable('confirmations'), dialect)
          .addColumn('ref_id', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('user_key', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addUniqueConstraint('confirmations_ref_user', ['ref_id', 'user_key'])
          .execute();
      },
    },
    '0005_personal_reminders': {
      async up(db: AnyDb) {
        await addIdColumn(db.schema.createTable('personal_reminders'), dialect)
          .addColumn('user_key', 'text', (c) => c.notNull())
          .addColumn('course_id', 'text', (c) => c.notNull())
          .addColumn('session_id', 'text', (c) => c.notNull())
          .addColumn('offset_minutes', 'integer', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('personal_reminders_once', [
            'user_key',
            'course_id',
            'session_id',
            'offset_minutes',
          ])
          .execute();
      },
    },
    '0006_conversation_context_feedback': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('conversation_context')
          .addColumn('user_key', 'text', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await addIdColumn(db.schema.createTable('feedback'), dialect)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('helpful', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('feedback_at').on('feedback').column('at').execute();
      },
    },
    // The web chat's private status links: a hash of the token, never the token itself.
    '0007_web_visit_tokens': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('web_visit_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('ref', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('web_visit_tokens_ref').on('web_visit_tokens').column('ref').execute();
      },
    },
    // Platform events taken by one instance, so several instances (or a retry) never answer one twice.
    '0008_processed_events': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('processed_events')
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('handled_at', 'text', (c) => c.notNull())
          .addColumn('instance', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('processed_events_pk', ['platform', 'event_id'])
          .execute();
        await db.schema
          .createIndex('processed_events_handled_at')
          .on('processed_events')
          .column('handled_at')
          .execute();
      },
    },
    // Hand-offs to a person: the coordinator post (channel + thread) and the user's conversation.
    '0009_handoffs': {
      async up(db: AnyDb) {
        await addIdColumn(db.schema.createTable('handoffs'), dialect)
          .addColumn('user_key', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('channel_id', 'text', (c) => c.notNull())
          .addColumn('thread_id', 'text', (c) => c.notNull())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .addColumn('acked_at', 'text')
          .execute();
        await db.schema.createIndex('handoffs_user').on('handoffs').columns(['user_key', 'state']).execute();
        await db.schema
          .createIndex('handoffs_thread')
          .on('handoffs')
          .columns(['platform', 'thread_id'])
          .execute();
      },
    },
    '0010_announcement_dm_optin': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('announcement_dms')
          .addColumn('user_key', 'text', (c) => c.primaryKey())
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // A Discord message's claim is finished once answered, so a catch-up after its instance died
    // takes over only unfinished ones; its channel tells the catch-up which DM channels to read.
    '0012_s6_17b': {
      async up(db: AnyDb) {
        await db.schema.alterTable('processed_events').addColumn('finished_at', 'text').execute();
        await db.schema.alterTable('processed_events').addColumn('channel_id', 'text').execute();
        // Events taken before this release count as finished (they were answered, or are lost).
        await sql`update processed_events set finished_at = handled_at`.execute(db);
      },
    },
    // An announcement's preview waits for Confirm in the store, not in one process: with several
    // instances, the Confirm click can reach another one; a restart keeps it too. (Its key is not
    // named `id`: `koban db copy` resets the sequence of every integer `id` column.)
    '0013_s7_announce_drafts': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('announce_drafts')
          .addColumn('draft_id', 'text', (c) => c.primaryKey())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('input', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** Names of every migration this code knows, oldest first. */
export function migrationNames(dialect: DialectName = 'sqlite'): string[] {
  return Object.keys(migrations(dialect));
}

const MIGRATION_TABLE = 'koban_migration';

/** Brings the schema up to date; a file from a newer release or with a newer legacy marker is refused. */
export async function migrate(db: AnyDb, dialect: DialectName, path: string, legacyVersion: number) {
  if (legacyVersion > LEGACY_SCHEMA_VERSION)
    throw storeOpenError('newer-schema', path, `schema version ${legacyVersion}`);
  const known = new Set(migrationNames(dialect));
  const tables = await db.introspection.getTables();
  if (tables.some((t) => t.name === MIGRATION_TABLE)) {
    const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const unknown = applied.rows.map((r) => r.name).filter((n) => !known.has(n));
    if (unknown.length > 0) throw storeOpenError('newer-schema', path, `unknown migration ${unknown[0]}`);
  }
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
