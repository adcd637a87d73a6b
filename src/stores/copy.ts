/**
 * `koban db copy`: moves every table of one migrated database into another (SQLite → PostgreSQL
 * when a deployment grows to several instances). Parents before children, one transaction per
 * table, counts verified; a target that already holds data is refused unless forced.
 */
import { type Kysely, sql } from 'kysely';
import { type DialectName, insertRowsAsIs, type PlainRow, referencedTables, resetIdSequence } from './db.js';
import type { KyselyStore } from './kysely-store.js';

const BATCH = 500;
/** Kysely's own bookkeeping, written by the target's migrations. */
const SKIP = new Set(['koban_migration', 'koban_migration_lock']);
/** The store's own settings (the user-hash salt): the target's are replaced by the source's, so hashes still match. */
const REPLACED = new Set(['meta']);

export interface CopyResult {
  tables: { table: string; rows: number }[];
}

export class CopyRefused extends Error {
  readonly code = 'DB_COPY_REFUSED';
}

type Side = Pick<KyselyStore, 'db' | 'dialect' | 'location'>;

async function count(db: Kysely<unknown>, table: string): Promise<number> {
  const res = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(res.rows[0]?.n ?? 0);
}

/** The source's tables, each after the tables it refers to. */
async function copyOrder(db: Kysely<unknown>, dialect: DialectName): Promise<string[]> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !SKIP.has(n));
  tables.sort();
  const refs = new Map<string, string[]>();
  for (const t of tables) refs.set(t, await referencedTables(db, dialect, t));
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const r of refs.get(t) ?? []) if (refs.has(r) && r !== t) visit(r, path);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

/** Copies every table of `from` into `to` (both already migrated to the same release). */
export async function copyDatabase(from: Side, to: Side, options: { force: boolean }): Promise<CopyResult> {
  const src = from.db as Kysely<unknown>;
  const dst = to.db as Kysely<unknown>;
  const order = await copyOrder(src, from.dialect);
  const targetTables = new Set((await dst.introspection.getTables()).map((t) => t.name));
  const missing = order.filter((t) => !targetTables.has(t));
  if (missing.length > 0)
    throw new CopyRefused(
      `${to.location} has no table ${missing.join(', ')}: is it from another release of koban-assistant?`,
    );
  const filled: string[] = [];
  for (const t of order) if (!REPLACED.has(t) && (await count(dst, t)) > 0) filled.push(t);
  if (filled.length > 0 && !options.force)
    throw new CopyRefused(
      `${to.location} already holds data (${filled.join(', ')}); nothing was copied. Add --force to replace it.`,
    );
  // Children first when emptying, so no foreign key is left pointing nowhere.
  await dst.transaction().execute(async (trx) => {
    for (const t of [...order].reverse()) await sql`delete from ${sql.table(t)}`.execute(trx);
  });
  const tables: CopyResult['tables'] = [];
  for (const table of order) {
    const expected = await count(src, table);
    await dst.transaction().execute(async (trx) => {
      for (let offset = 0; offset < expected; offset += BATCH) {
        const rows =
          await sql<PlainRow>`select * from ${sql.table(table)} order by 1 limit ${BATCH} offset ${offset}`.execute(
            src,
          );
        await insertRowsAsIs(trx, to.dialect, table, rows.rows);
      }
      const columns = (await dst.introspection.getTables()).find((t) => t.name === table)?.columns ?? [];
      if (columns.some((c) => c.name === 'id')) await resetIdSequence(trx, to.dialect, table);
    });
    const copied = await count(dst, table);
    if (copied !== expected)
      throw new CopyRefused(
        `${table}: ${expected} rows in the source but ${copied} in ${to.location}; check the target`,
      );
    tables.push({ table, rows: copied });
  }
  return { tables };
}
