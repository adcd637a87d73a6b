import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hotQuery } from '../../src/stores/hot-query.js';
import { withStatementCache } from '../../src/stores/sqlite-statements.js';

interface Db {
  t: { k: string; v: number; note: string | null };
}

async function table(): Promise<Kysely<Db>> {
  const db = new Kysely<Db>({
    dialect: new SqliteDialect({ database: withStatementCache(new Database(':memory:')) }),
  });
  await db.schema
    .createTable('t')
    .addColumn('k', 'text', (c) => c.primaryKey())
    .addColumn('v', 'integer')
    .addColumn('note', 'text')
    .execute();
  return db;
}

describe('hot queries (compiled once, parameters filled in per call)', () => {
  it('runs with each call’s own arguments, an argument used twice included, and a constant kept', async () => {
    const db = await table();
    const upsert = hotQuery(db, 3, (k: string, v: number, note: string | null) =>
      db
        .insertInto('t')
        .values({ k, v, note })
        .onConflict((oc) => oc.column('k').doUpdateSet({ v, note })),
    );
    const read = hotQuery(db, 1, (k: string) =>
      db.selectFrom('t').select(['v', 'note']).where('k', '=', k).where('v', '<', 100),
    );
    await upsert('a', 1, null);
    await upsert('b', 2, 'two');
    expect((await upsert('a', 3, 'three')).numAffectedRows).toBe(1n);
    await upsert('c', 500, null);
    expect((await read('a')).rows).toEqual([{ v: 3, note: 'three' }]);
    expect((await read('b')).rows).toEqual([{ v: 2, note: 'two' }]);
    expect((await read('c')).rows).toEqual([]);
    expect(await db.selectFrom('t').selectAll().orderBy('k').execute()).toEqual([
      { k: 'a', v: 3, note: 'three' },
      { k: 'b', v: 2, note: 'two' },
      { k: 'c', v: 500, note: null },
    ]);
    await db.destroy();
  });

  it('refuses, at the first call, an argument that shapes the SQL or is left out', async () => {
    const db = await table();
    const shaped = hotQuery(db, 1, (column: string) =>
      db.selectFrom('t').select(sql.ref<number>(column).as('x')),
    );
    await expect(shaped('v')).rejects.toThrow(/shapes the SQL/);
    const unused = hotQuery(db, 2, (k: string, _v: number) =>
      db.selectFrom('t').selectAll().where('k', '=', k),
    );
    await expect(unused('a', 1)).rejects.toThrow(/1 argument\(s\) not among the parameters/);
    await db.destroy();
  });
});
