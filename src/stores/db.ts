/**
 * Everything that depends on the database engine sits in this file: opening SQLite (WAL, file
 * modes, the integrity check), the auto-increment id column and the legacy schema marker. Queries
 * and migrations elsewhere use SQL that SQLite and PostgreSQL both accept, so a `pg` dialect can be
 * added here (`KOBAN_DATABASE_URL`) without touching them.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  Kysely,
  type RawBuilder,
  SqliteDialect,
  sql,
} from 'kysely';
import { StoreOpenError, storeOpenError } from './errors.js';
import type { Database as Schema } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Schema>;
  dialect: DialectName;
  /** The schema version today's pre-Kysely code wrote (`PRAGMA user_version`); 0 on a new file. */
  legacyVersion: number;
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

/** Opens (creating when missing) the SQLite file at `path`, or ":memory:"; throws StoreOpenError. */
export function openSqlite(path: string): OpenedDatabase {
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
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw storeOpenError('corrupt', path, `quick_check: ${String(check).slice(0, 200)}`);
    const legacyVersion = Number(sqlite.pragma('user_version', { simple: true }));
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', legacyVersion };
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
 * What ends the sub-select of a claim (`update … where id in (select … limit n <here>)`): PostgreSQL
 * `for update skip locked`, so two workers never claim one row; nothing on SQLite, whose writes
 * are serialised anyway.
 */
export function claimLockSuffix(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`for update skip locked` : sql``;
}
