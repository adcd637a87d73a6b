/**
 * Queries run on every message, compiled once. Kysely builds and compiles a query anew on each call
 * (0.05-0.08 ms of CPU, more than SQLite takes to run these); a hot query keeps the SQL of its first
 * compile, in the database's own dialect, and only fills in the parameters after.
 *
 * The builder is compiled once with a marker for each argument; the markers show where each argument
 * goes among the parameters. An argument must therefore be passed as a value (`.where('k', '=', k)`,
 * `.values({ k })`), never shape the query (an `if` on it, a list of varying length, `sql.raw`):
 * a marker found in the SQL text, or one that is missing, throws at the first call.
 *
 * On SQLite (a Kysely made by `openSqlite`) a hot query runs as a better-sqlite3 prepared statement
 * of its own, without Kysely's driver: its connection lock, result handling and the promises between
 * them cost more than the statement. Kysely's lock keeps a transaction's statements together, so
 * while a transaction is open on the connection a hot query goes through Kysely and waits for it;
 * outside one, each statement commits by itself either way. PostgreSQL always goes through Kysely.
 */
import type Database from 'better-sqlite3';
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { directDatabase } from './sqlite-statements.js';

type Slot = { arg: number } | { value: unknown };

const marker = (i: number) => `\u0000koban-hot-query-arg-${i}\u0000`;

export function hotQuery<DB, A extends unknown[], R>(
  db: Kysely<DB>,
  arity: A['length'],
  build: (...args: A) => Compilable<R>,
): (...args: A) => Promise<QueryResult<R>> {
  let compiled: { sql: string; slots: Slot[] } | undefined;
  const sqlite = directDatabase(db);
  let statement: Database.Statement | undefined;
  const compile = () => {
    const markers = Array.from({ length: arity }, (_, i) => marker(i));
    const query = build(...(markers as A)).compile();
    if (markers.some((m) => query.sql.includes(m)))
      throw new Error(`hot query: an argument shapes the SQL text: ${query.sql}`);
    const slots = query.parameters.map((p): Slot => {
      const i = typeof p === 'string' ? markers.indexOf(p) : -1;
      return i >= 0 ? { arg: i } : { value: p };
    });
    const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
    if (used.size !== arity)
      throw new Error(`hot query: ${arity - used.size} argument(s) not among the parameters`);
    return { sql: query.sql, slots };
  };
  return async (...args: A) => {
    compiled ??= compile();
    const parameters = compiled.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    if (sqlite && !sqlite.inTransaction) {
      statement ??= sqlite.prepare(compiled.sql);
      return runPrepared<R>(statement, parameters);
    }
    return await db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  };
}

/** What Kysely's SQLite driver returns for the same statement. */
function runPrepared<R>(statement: Database.Statement, parameters: unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
