import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/stores/sqlite-statements.js';

describe('prepared statements kept for Kysely on SQLite', () => {
  it('prepares each SQL text once and runs it again with new parameters', async () => {
    const sqlite = new Database(':memory:');
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof sqlite.prepare;
    const db = new Kysely<{ t: { k: string; v: number } }>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    await db.schema.createTable('t').addColumn('k', 'text').addColumn('v', 'integer').execute();
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('t')
        .values({ k: `k${i}`, v: i })
        .execute();
    const before = prepared;
    const rows = [];
    for (let i = 0; i < 5; i++)
      rows.push(await db.selectFrom('t').select('v').where('k', '=', `k${i}`).executeTakeFirst());
    expect(rows.map((r) => r?.v)).toEqual([0, 1, 2, 3, 4]);
    expect(prepared - before).toBe(1);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });

  it('gives a query its own statement while the kept one still iterates rows', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec('create table t (v integer); insert into t values (1), (2);');
    const cached = withStatementCache(sqlite);
    const sql = 'select v from t order by v';
    const first = cached.prepare(sql);
    const rows = first.iterate([]);
    expect(rows.next().value).toEqual({ v: 1 });
    const second = cached.prepare(sql);
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ v: 1 }, { v: 2 }]);
    expect(rows.next().value).toEqual({ v: 2 });
    rows.return?.();
    expect(cached.prepare(sql)).toBe(second);
    cached.close();
  });
});
