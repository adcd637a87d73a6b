import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/main.js';

/** SQLite's `PRAGMA synchronous` of the store's connection: 1 NORMAL, 2 FULL. */
async function synchronousOf(env: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'koban-sync-'));
  const store = await openStore(loadConfig({ KOBAN_DATA_DIR: dir, ...env }));
  try {
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(journal.rows[0]?.journal_mode).toBe('wal');
    return Number(rows[0]?.synchronous);
  } finally {
    await store.close();
  }
}

describe('when SQLite flushes to the disk (KOBAN_SQLITE_SYNC)', () => {
  it('flushes at checkpoints only by default (WAL + synchronous NORMAL), also when the value is empty', async () => {
    expect(await synchronousOf({})).toBe(1);
    expect(await synchronousOf({ KOBAN_SQLITE_SYNC: ' ' })).toBe(1);
  });

  it('flushes every commit with KOBAN_SQLITE_SYNC=full', async () => {
    expect(await synchronousOf({ KOBAN_SQLITE_SYNC: 'full' })).toBe(2);
  });

  it('refuses another value, naming the setting', () => {
    expect(() => loadConfig({ KOBAN_SQLITE_SYNC: 'off' })).toThrow(/KOBAN_SQLITE_SYNC/);
  });
});
