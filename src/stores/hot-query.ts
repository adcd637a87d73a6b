/**
 * Queries run on every message, compiled once. Kysely builds and compiles a query anew on each call
 * (0.05-0.08 ms of CPU, more than SQLite takes to run these); a hot query keeps the SQL of its first
 * compile, in the database's own dialect, and only fills in the parameters after.
 *
 * The builder is compiled once with a marker for each argument; the markers show where each argument
 * goes among the parameters. An argument must therefore be passed as a value (`.where('k', '=', k)`,
 * `.values({ k })`), never shape the query (an `if` on it, a list of varying length, `sql.raw`):
 * a marker found in the SQL text, or one that is missing, throws at the first call.
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';

type Slot = { arg: number } | { value: unknown };

const marker = (i: number) => `\u0000koban-hot-query-arg-${i}\u0000`;

export function hotQuery<DB, A extends unknown[], R>(
  db: Kysely<DB>,
  arity: A['length'],
  build: (...args: A) => Compilable<R>,
): (...args: A) => Promise<QueryResult<R>> {
  let compiled: { sql: string; slots: Slot[] } | undefined;
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
    return await db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  };
}
