/**
 * better-sqlite3 behind Kysely with its prepared statements kept: Kysely's SQLite driver prepares
 * every query anew, and preparing costs more than running the small queries of a chat turn.
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept; Kysely's queries are a few hundred, `in (?, ?, …)` lists vary. */
const MAX_STATEMENTS = 1000;

export function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      // A statement still iterating a result (a stream) cannot run again: that query gets its own.
      if (!statement || statement.busy) {
        statement = sqlite.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** The better-sqlite3 database under each Kysely that `openSqlite` made, for hot queries' direct path. */
const underlying = new WeakMap<object, Database.Database>();

/** Lets hot queries over `db` run as prepared statements of `sqlite` itself (`hot-query.ts`). */
export function runDirectly(db: object, sqlite: Database.Database): void {
  underlying.set(db, sqlite);
}

/** The better-sqlite3 database `db` was opened over, when `runDirectly` registered it. */
export function directDatabase(db: object): Database.Database | undefined {
  return underlying.get(db);
}
