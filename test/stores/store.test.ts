import { closeSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { migrationNames } from '../../src/stores/migrations.js';
import { openError, storeFactories, visitInput } from '../helpers/postgres.js';
import { koban } from '../helpers/spawn.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'koban-store-'));

/** A koban.db exactly as the first release's SqliteStore wrote it (PRAGMA user_version=1). */
function firstReleaseDb(path: string, rows: [string, string | null, string | null, string | null][]): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE user_prefs (
     user_key TEXT PRIMARY KEY,
     lang TEXT,
     detected_lang TEXT,
     course TEXT,
     updated_at TEXT NOT NULL
   )`);
  db.pragma('user_version = 1');
  const insert = db.prepare('INSERT INTO user_prefs VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) insert.run(...r, '2026-11-30T10:00:00.000Z');
  db.close();
}

describe('the store', () => {
  it('creates a new database with every migration, readable by its owner only', async () => {
    const path = join(dir(), 'data', 'koban.db');
    const store = await KyselyStore.open({ path });
    await store.updateUser('slack:U1', { lang: 'th' });
    await store.updateUser('slack:U1', { course: 'koban-seminar-2027' });
    expect(await store.getUser('slack:U1')).toEqual({ lang: 'th', course: 'koban-seminar-2027' });
    expect(await store.getUser('slack:nobody')).toEqual({});
    await store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = new Database(path, { readonly: true });
    const applied = raw.prepare('SELECT name FROM koban_migration ORDER BY name').pluck().all();
    expect(applied).toEqual(migrationNames());
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps the preferences of a koban.db written by the first release', async () => {
    const path = join(dir(), 'koban.db');
    firstReleaseDb(path, [
      ['slack:U0TAKESHI', 'ja', 'ja', null],
      ['discord:4567', null, 'id', 'crim-id-2027'],
    ]);
    const store = await KyselyStore.open({ path });
    expect(await store.getUser('slack:U0TAKESHI')).toEqual({ lang: 'ja', detectedLang: 'ja' });
    expect(await store.getUser('discord:4567')).toEqual({ detectedLang: 'id', course: 'crim-id-2027' });
    await store.updateUser('discord:4567', { lang: 'id' });
    await store.close();
    // Opening again applies nothing twice.
    const again = await KyselyStore.open({ path });
    expect((await again.getUser('discord:4567')).lang).toBe('id');
    await again.close();
  });

  it('refuses a database written by a newer release, in either schema marker', async () => {
    const legacy = join(dir(), 'koban.db');
    firstReleaseDb(legacy, []);
    const db = new Database(legacy);
    db.pragma('user_version = 7');
    db.close();
    expect((await openError({ path: legacy })).problem).toBe('newer-schema');

    const newer = join(dir(), 'koban.db');
    await (await KyselyStore.open({ path: newer })).close();
    const raw = new Database(newer);
    raw.prepare('INSERT INTO koban_migration (name, timestamp) VALUES (?, ?)').run('9999_future', 'now');
    raw.close();
    const err = await openError({ path: newer });
    expect(err.problem).toBe('newer-schema');
    expect(err.message).toContain('9999_future');
    expect(err.message).toContain(newer);
  });

  it('refuses a file that is not a database, and one with corrupt pages behind an intact header', async () => {
    const garbage = join(dir(), 'koban.db');
    writeFileSync(garbage, 'this is not a database, just text '.repeat(200));
    expect((await openError({ path: garbage })).problem).toBe('corrupt');

    const damaged = join(dir(), 'koban.db');
    const store = await KyselyStore.open({ path: damaged });
    for (let i = 0; i < 300; i++) await store.updateUser(`cli:user-${i}`, { course: 'x'.repeat(200) });
    await store.close();
    const size = statSync(damaged).size;
    expect(size).toBeGreaterThan(8 * 4096);
    const fd = openSync(damaged, 'r+');
    // Keep page 1 (the header and schema); scribble over later pages.
    writeSync(fd, Buffer.alloc(3 * 4096, 0x5a), 0, 3 * 4096, 2 * 4096);
    closeSync(fd);
    const err = await openError({ path: damaged });
    expect(err.problem).toBe('corrupt');
    expect(err.message).toMatch(/restore it from a backup/);
  });

  it('refuses a data folder path that is a file', async () => {
    const file = join(dir(), 'not-a-folder');
    writeFileSync(file, '');
    const err = await openError({ path: join(file, 'koban.db') });
    expect(err.problem).toBe('bad-path');
    expect(err.message).toContain('KOBAN_DATA_DIR');
  });

  it('stops the bot with one sentence naming the file and the setting, no stack trace', async () => {
    const data = dir();
    writeFileSync(join(data, 'koban.db'), 'not a database at all '.repeat(100));
    const { code, stderr } = await koban(['ask', 'hello'], { env: { KOBAN_DATA_DIR: data } });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(data, 'koban.db'));
    expect(lines[0]).toContain('KOBAN_DB');
    expect(lines[0]).toMatch(/is damaged .*; restore it from a backup/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe.each(storeFactories)('transactions on $name', (factory) => {
  it.skipIf(factory.skip)(
    'leaves nothing half written when a transaction fails between two writes',
    async () => {
      const store = await factory.open(await factory.place());
      const crash = store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('user_prefs')
          .values({ user_key: 'cli:half', lang: 'vi', detected_lang: null, course: null, updated_at: 'x' })
          .execute();
        throw new Error('power cut');
      });
      await expect(crash).rejects.toThrow('power cut');
      expect(await store.getUser('cli:half')).toEqual({});
      await store.close();
    },
  );
});

describe.each(storeFactories)('visit requests in the store on $name', (factory) => {
  it.skipIf(factory.skip)(
    'writes nothing when the audit entry of a submission fails (one transaction)',
    async () => {
      const { AuditRepo } = await import('../../src/stores/audit.js');
      const { VisitRepo } = await import('../../src/stores/visits.js');
      const store = await factory.open(await factory.place());
      class BrokenAudit extends AuditRepo {
        override async record(): Promise<void> {
          throw new Error('disk full');
        }
      }
      const visits = new VisitRepo(store.db, new BrokenAudit(store.db));
      await expect(visits.submit(visitInput, { requester: 'cli:x', lang: 'en' }, new Date())).rejects.toThrow(
        'disk full',
      );
      expect(await store.visits.list()).toEqual([]);
      const history = await store.db.selectFrom('visit_status_history').selectAll().execute();
      expect(history).toEqual([]);
      // The reference is not burnt: the next good submission gets 0001.
      const ok = await store.visits.submit(
        visitInput,
        { requester: 'cli:x', lang: 'en' },
        new Date('2027-01-20T00:00:00Z'),
      );
      expect(ok.ref).toBe('V-2027-0001');
      await store.close();
    },
  );
});
