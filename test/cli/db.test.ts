import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { dbCli } from '../../src/cli/db.js';
import { loadConfig } from '../../src/config.js';
import { CopyRefused } from '../../src/stores/copy.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { migrationNames } from '../../src/stores/migrations.js';
import { freshDatabase, postgresUrl, settings, storeFactories } from '../helpers/postgres.js';
import { koban } from '../helpers/spawn.js';

const request = {
  organization: 'Royal Thai Police',
  country: 'Thailand',
  contactName: 'Somchai',
  contactEmail: 'somchai@police.example.th',
  groupSize: 12,
  preferredDates: ['2027-03-15'],
  interests: ['koban' as const],
  language: 'Thai',
  interpreter: true,
};

async function run(args: string[], env: Record<string, string>) {
  const lines: string[] = [];
  const code = await dbCli(args, loadConfig(env), (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe.each(storeFactories)('koban db status and migrate on $name', (factory) => {
  it.skipIf(factory.skip)('shows pending migrations, applies them, then reports up to date', async () => {
    const where = await factory.place();
    const env: Record<string, string> =
      factory.name === 'postgres' ? { KOBAN_DATABASE_URL: where } : { KOBAN_DB: where };
    const before = await run(['status'], env);
    expect(before.code).toBe(1);
    expect(before.text).toContain(`pending: ${migrationNames().join(', ')}`);
    const migrated = await run(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.text).toContain(`up to date, ${migrationNames().length} migration(s) applied`);
    const after = await run(['status'], env);
    expect(after).toMatchObject({ code: 0 });
    expect(after.text).toContain(`(${factory.name})`);
    expect(after.text).toContain('up to date');
  });
});

describe.skipIf(!postgresUrl())('koban db copy', () => {
  it('moves a SQLite deployment into PostgreSQL with every row, id and user hash, once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'koban-copy-')), 'koban.db');
    const source = await KyselyStore.open({ path: file });
    await source.updateUser('slack:U0TARO', { lang: 'ja', course: 'koban-seminar-2027' });
    const first = await source.visits.submit(
      request,
      { requester: 'slack:U0TARO', lang: 'ja' },
      new Date('2027-01-20T00:00:00Z'),
    );
    await source.unanswered.record({
      at: '2027-01-10T09:00:00.000Z',
      platform: 'slack',
      user: 'slack:U0TARO',
      lang: 'en',
      text: 'where do I park',
      confidence: 0.25,
      suggestions: ['koban-what-is'],
    });
    const hash = (await source.unanswered.list())[0]?.userHash;
    await source.close();

    const url = await freshDatabase();
    const copied = await run(['copy', '--from', `sqlite:${file}`, '--to', url], {});
    expect(copied.code).toBe(0);
    expect(copied.text).toContain('visit_requests: 1 row(s)');
    expect(copied.text).toContain('visit_status_history: 1 row(s)');
    expect(copied.text).toContain('audit_log: 1 row(s)');
    expect(copied.text).toContain('row counts match');

    const target = await KyselyStore.open({ path: url, postgres: settings(url) });
    expect(await target.getUser('slack:U0TARO')).toEqual({ lang: 'ja', course: 'koban-seminar-2027' });
    expect((await target.visits.get(first.ref))?.history).toHaveLength(1);
    expect((await target.unanswered.list())[0]?.userHash).toBe(hash);
    // Ids go on after the copied ones.
    const next = await target.visits.submit(
      request,
      { requester: 'discord:42', lang: 'th' },
      new Date('2027-01-21T00:00:00Z'),
    );
    expect(next.ref).toBe('V-2027-0002');
    await target.close();

    await expect(run(['copy', '--from', `sqlite:${file}`, '--to', url], {})).rejects.toThrow(CopyRefused);
    const forced = await run(['copy', '--from', `sqlite:${file}`, '--to', url, '--force'], {});
    expect(forced.code).toBe(0);
    const again = await KyselyStore.open({ path: url, postgres: settings(url) });
    expect((await again.visits.list()).map((v) => v.ref)).toEqual([first.ref]);
    await again.close();
  });

  it('refuses a target that is neither sqlite:PATH nor a postgres URL', async () => {
    await expect(run(['copy', '--from', 'sqlite:/tmp/x.db', '--to', 'mysql://x'], {})).rejects.toThrow(
      UsageError,
    );
  });
});

describe('an unreachable PostgreSQL server', () => {
  it('stops the command with one line naming KOBAN_DATABASE_URL, without the password or a stack', async () => {
    const { code, stderr } = await koban(['db', 'status'], {
      env: { KOBAN_DATABASE_URL: 'postgres://koban:hunter2@127.0.0.1:1/koban' },
    });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^koban: cannot reach the database postgres:\/\/koban:\*\*\*@127\.0\.0\.1:1\/koban/,
    );
    expect(lines[0]).toContain('KOBAN_DATABASE_URL');
    expect(stderr).not.toContain('hunter2');
  });
});
