import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/stores/db.js';
import { checkpointInBackground } from '../../src/stores/sqlite-checkpointer.js';
import { directDatabase } from '../../src/stores/sqlite-statements.js';

/** Rows of `t` in the database file alone, as a checkpoint left it (the log is not copied). */
function rowsInMainFile(path: string, dir: string): number {
  const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const exists = db.prepare("select count(*) as n from sqlite_master where name = 't'").get() as {
      n: number;
    };
    return exists.n === 0 ? 0 : (db.prepare('select count(*) as n from t').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function writeRows(db: Kysely<unknown>, count: number): Promise<void> {
  await sql`create table t (k integer primary key, v text)`.execute(db);
  for (let i = 0; i < count; i++) await sql`insert into t (v) values (${`row ${i}`})`.execute(db);
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('SQLite checkpoints in the background', () => {
  it('copies the log into the database file from a worker, the bot’s connection leaving it be', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-checkpoint-'));
    const path = join(dir, 'koban.db');
    const { db } = openSqlite(path, 'normal', { background: true });
    const sqlite = directDatabase(db);
    expect(sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await writeRows(db as Kysely<unknown>, 50);
    expect(await eventually(() => rowsInMainFile(path, dir) === 50, 10_000)).toBe(true);
    await db.destroy();
  });

  it('leaves small commits in the log without it (SQLite checkpoints inside a commit at 1,000 pages)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-checkpoint-'));
    const path = join(dir, 'koban.db');
    const { db } = openSqlite(path, 'normal');
    expect(directDatabase(db)?.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await writeRows(db as Kysely<unknown>, 50);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(rowsInMainFile(path, dir)).toBe(0);
    await db.destroy();
  });

  it('hands checkpoints back to the connection when stopped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-checkpoint-'));
    const path = join(dir, 'koban.db');
    const sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    const checkpointer = checkpointInBackground(sqlite, path);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    checkpointer.stop();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    sqlite.close();
  });
});
