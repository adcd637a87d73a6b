/**
 * Everything that depends on the database engine sits in this file: opening SQLite (WAL, file
 * modes, the integrity check) or PostgreSQL (`KOBAN_DATABASE_URL`: a `pg` pool with retries), the
 * auto-increment id column, the row-claim suffix and the legacy schema marker. Queries and
 * migrations elsewhere use SQL that SQLite and PostgreSQL both accept: times are ISO-8601 text,
 * lists JSON text, booleans 0/1 integers, so there is no `now()`, json or boolean type to translate.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type RawBuilder,
  type SelectQueryBuilder,
  SqliteDialect,
  sql,
} from 'kysely';
import type { Pool, PoolConfig } from 'pg';
import { StoreOpenError, storeOpenError } from './errors.js';
import type { Database as Schema } from './schema.js';
import { checkpointInBackground } from './sqlite-checkpointer.js';
import { runDirectly, withStatementCache } from './sqlite-statements.js';

export type DialectName = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Schema>;
  dialect: DialectName;
  /** The schema version today's pre-Kysely code wrote (`PRAGMA user_version`); 0 on a new file. */
  legacyVersion: number;
  /** Where the data lives, for operator messages: the file, or the URL without its password. */
  location: string;
}

/** Files hold personal data: readable by the bot's user only. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps a file-system or SQLite error to the operator's one sentence. */
function classify(err: unknown, path: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const code = errorCode(err);
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENAMETOOLONG')
    return storeOpenError('bad-path', path, `${dirname(path)} is not a folder (${code})`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY'))
    return storeOpenError('not-writable', path, `permission denied (${code})`);
  if (code === 'SQLITE_CANTOPEN') return storeOpenError('not-writable', path, 'SQLite cannot open the file');
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return storeOpenError('corrupt', path, reason(err));
  return storeOpenError('unknown', path, reason(err));
}

/**
 * When SQLite waits for the disk (`PRAGMA synchronous`). `normal` (the default): in WAL mode a
 * commit is not flushed to the disk at once, only at checkpoints, so a crash of the bot loses
 * nothing but a power cut or an operating-system crash may lose the last commits; better-sqlite3
 * runs on the event loop, and a flush per commit (`full`, 2-4 per message) stops every other
 * message for as long as the disk takes. `full`: every commit survives a power cut.
 */
export type SqliteSync = 'normal' | 'full';

/** How a SQLite file's write-ahead log is checkpointed (`sqlite-checkpointer.ts`). */
export interface SqliteCheckpoints {
  /** In a worker thread, off the event loop (the long-running bot); else inside commits, SQLite's default. */
  background: boolean;
  /** A background checkpoint failed or its worker stopped. */
  onProblem?: (message: string) => void;
}

/** Opens (creating when missing) the SQLite file at `path`, or ":memory:"; throws StoreOpenError. */
export function openSqlite(
  path: string,
  sync: SqliteSync = 'normal',
  checkpoints: SqliteCheckpoints = { background: false },
): OpenedDatabase {
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      if (existsSync(path) && statSync(path).isDirectory())
        throw storeOpenError('bad-path', path, 'that path is a folder, not a file');
      mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
      // Create the file ourselves so it is never world-readable; SQLite gives -wal and -shm its mode.
      closeSync(openSync(path, 'a', FILE_MODE));
      chmodSync(path, FILE_MODE);
    }
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw storeOpenError('corrupt', path, `quick_check: ${String(check).slice(0, 200)}`);
    const legacyVersion = Number(sqlite.pragma('user_version', { simple: true }));
    const cached = withStatementCache(sqlite);
    const checkpointer =
      checkpoints.background && path !== ':memory:'
        ? checkpointInBackground(
            sqlite,
            path,
            checkpoints.onProblem ? { onProblem: checkpoints.onProblem } : {},
          )
        : undefined;
    const database = checkpointer
      ? {
          ...cached,
          close: () => {
            checkpointer.stop();
            cached.close();
          },
        }
      : cached;
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
    runDirectly(db, sqlite);
    return { db, dialect: 'sqlite', legacyVersion, location: path };
  } catch (err) {
    sqlite?.close();
    throw classify(err, path);
  }
}

/** The highest `PRAGMA user_version` the pre-Kysely code wrote (its table `user_prefs`). */
export const LEGACY_SCHEMA_VERSION = 1;

/** An auto-increment integer primary key (SQLite `integer primary key autoincrement`, PostgreSQL identity). */
export function addIdColumn<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: DialectName,
): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) =>
        c.primaryKey().generatedAlwaysAsIdentity(),
      )
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

/**
 * Rows a worker takes for itself (`select … for update skip locked` on PostgreSQL, so two instances
 * never claim the same row); SQLite has one writer at a time and no such clause, so the query stays
 * as it is there. Use inside a transaction.
 */
export function lockForClaim<QB extends SelectQueryBuilder<Schema, keyof Schema, object>>(
  query: QB,
  dialect: DialectName,
): QB {
  return dialect === 'postgres' ? (query.forUpdate().skipLocked() as QB) : query;
}

/** The same claim suffix for raw SQL: `sql\`select … ${claimSuffix(dialect)}\``. */
export function claimSuffix(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql` for update skip locked` : sql``;
}

/** PostgreSQL connection settings (KOBAN_DATABASE_* in .env.example). */
export interface PostgresSettings {
  url: string;
  /** Connections per instance. */
  poolSize: number;
  /** TLS: off, encrypted without checking the certificate, or verified against `caFile`/the system CAs. */
  ssl: 'disable' | 'require' | 'verify-full';
  caFile?: string | undefined;
  /** The server cancels a statement running longer than this (milliseconds). */
  statementTimeoutMs: number;
  /** Give up opening one connection after this long (milliseconds). */
  connectTimeoutMs: number;
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** pg's connection options for `settings` (TLS from KOBAN_DATABASE_SSL, or `sslmode` in the URL when unset). */
export function pgConfig(settings: PostgresSettings): PoolConfig {
  const ssl =
    settings.ssl === 'disable'
      ? {}
      : {
          ssl: {
            rejectUnauthorized: settings.ssl === 'verify-full',
            ...(settings.caFile ? { ca: readFileSync(settings.caFile, 'utf8') } : {}),
          },
        };
  return {
    connectionString: settings.url,
    max: settings.poolSize,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: 'koban-assistant',
    ...ssl,
  };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** A failure to reach the server (worth retrying), as opposed to a refused login or a bad query. */
export function isConnectionError(err: unknown): boolean {
  const code = errorCode(err);
  if (CONNECTION_CODES.has(code)) return true;
  // 57P01-03: the server is shutting down or starting; 08xxx: connection exceptions.
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  return /timeout exceeded when trying to connect|Connection terminated/i.test(reason(err));
}

/** Maps a `pg` error at start to the operator's one sentence. */
function classifyPostgres(err: unknown, location: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const code = errorCode(err);
  // 28xxx: invalid authorization; 3D000: no such database.
  if (code.startsWith('28') || code === '3D000') return storeOpenError('refused', location, reason(err));
  if (isConnectionError(err)) return storeOpenError('unreachable', location, code || reason(err));
  return storeOpenError('unknown', location, reason(err));
}

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5000;

/**
 * A pool whose `connect` retries with backoff while the server is unreachable (a restart, a
 * fail-over), up to `attempts` tries; a refused login or a bad query fails at once.
 */
export function retryingPool(pool: Pool, attempts: number, sleep = defaultSleep): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let wait = RETRY_FIRST_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          return await pool.connect();
        } catch (err) {
          if (attempt >= attempts || !isConnectionError(err)) throw err;
          await sleep(wait);
          wait = Math.min(wait * 2, RETRY_MAX_MS);
        }
      }
    },
    end: () => pool.end(),
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Connection tries per query while running: about 20 s of backoff before the error reaches the caller. */
const RUNNING_ATTEMPTS = 7;

/**
 * Opens a pool on the PostgreSQL server and checks it answers, so a wrong address or password
 * stops the start with one sentence; afterwards each query retries the connection with backoff.
 * `onIdleError` hears connections the server dropped while idle (they would end the process otherwise).
 */
export async function openPostgres(
  settings: PostgresSettings,
  onIdleError: (err: Error) => void = () => undefined,
): Promise<OpenedDatabase> {
  const location = redactUrl(settings.url);
  let pool: Pool | undefined;
  try {
    // Loaded here, not at the top: a SQLite bot (and `koban ask`) never pays for pg's import.
    const { default: pg } = await import('pg');
    pool = new pg.Pool(pgConfig(settings));
    pool.on('error', onIdleError);
    const client = await pool.connect();
    client.release();
    const db = new Kysely<Schema>({
      dialect: new PostgresDialect({ pool: retryingPool(pool, RUNNING_ATTEMPTS) }),
    });
    return { db, dialect: 'postgres', legacyVersion: 0, location };
  } catch (err) {
    await pool?.end().catch(() => undefined);
    throw classifyPostgres(err, location);
  }
}

/** A row as copied between databases: SQLite and PostgreSQL hold the same plain values. */
export type PlainRow = Record<string, string | number | null>;

/**
 * Inserts rows with their ids as they are (`overriding system value` for PostgreSQL's identity
 * columns; SQLite takes explicit ids as they come).
 */
export async function insertRowsAsIs(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
  rows: readonly PlainRow[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const values = rows.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
  const overriding = dialect === 'postgres' && columns.includes('id') ? sql` overriding system value` : sql``;
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})${overriding} values ${sql.join(values)}`.execute(
    db,
  );
}

/** After ids were copied as they are, the next generated id follows the highest (PostgreSQL's identity). */
export async function resetIdSequence(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
    db,
  );
}

/** Tables that `table` refers to with foreign keys (SQLite only; used to copy parents first). */
export async function referencedTables(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
): Promise<string[]> {
  if (dialect === 'sqlite') {
    const res = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(
      db,
    );
    return res.rows.map((r) => r.table);
  }
  const res = await sql<{ ref: string }>`
    select distinct cl.relname as ref from pg_constraint co
    join pg_class t on t.oid = co.conrelid join pg_class cl on cl.oid = co.confrelid
    where co.contype = 'f' and t.relname = ${table}`.execute(db);
  return res.rows.map((r) => r.ref);
}

/** A unique key already taken (SQLite `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`, PostgreSQL 23505): a race another writer won. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
