import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/stores/db.js';
import { hotQuery } from '../../src/stores/hot-query.js';
import { directDatabase, withStatementCache } from '../../src/stores/sqlite-statements.js';

interface Db {
  t: { k: string; v: number; note: string | null };
}

/** Kysely's own SQLite driver, or (`direct`) the store's database, whose hot queries skip the driver. */
async function table(direct = false): Promise<Kysely<Db>> {
  const db = direct
    ? (openSqlite(':memory:').db as unknown as Kysely<Db>)
    : new Kysely<Db>({
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

  it('gives, run directly on the store’s SQLite, the same results as through Kysely’s driver', async () => {
    const results = [];
    for (const direct of [false, true]) {
      const db = await table(direct);
      expect(directDatabase(db) !== undefined).toBe(direct);
      const insert = hotQuery(db, 2, (k: string, v: number) =>
        db.insertInto('t').values({ k, v, note: null }),
      );
      const bump = hotQuery(db, 1, (v: number) =>
        db.updateTable('t').set({ note: 'big' }).where('v', '>', v),
      );
      const read = hotQuery(db, 1, (v: number) =>
        db.selectFrom('t').select(['k', 'note']).where('v', '>', v).orderBy('k'),
      );
      const returning = hotQuery(db, 2, (k: string, v: number) =>
        db.insertInto('t').values({ k, v, note: null }).returning(['k', 'v']),
      );
      results.push([
        await insert('a', 1),
        await insert('b', 20),
        await insert('c', 30),
        await bump(10),
        await read(10),
        await returning('d', 4),
        await read(100),
      ]);
      await expect(insert('a', 2)).rejects.toThrow(/UNIQUE/);
      await db.destroy();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]?.[3]).toEqual({ numAffectedRows: 2n, insertId: 3n, rows: [] });
    expect(results[0]?.[4]?.rows).toEqual([
      { k: 'b', note: 'big' },
      { k: 'c', note: 'big' },
    ]);
  });

  it('never runs inside a transaction another caller has open on the connection: it waits for it', async () => {
    const db = await table(true);
    const insert = hotQuery(db, 2, (k: string, v: number) => db.insertInto('t').values({ k, v, note: null }));
    let during: Promise<unknown> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ k: 'in-transaction', v: 1, note: null }).execute();
        during = insert('outside', 2);
        // Let the hot query run now if it were to (it would then be rolled back with the transaction).
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await during;
    expect(await db.selectFrom('t').select('k').execute()).toEqual([{ k: 'outside' }]);
    await db.destroy();
  });
});
