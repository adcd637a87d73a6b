import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { freshDatabase, openError, postgresUrl, settings } from '../helpers/postgres.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 1;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('opening PostgreSQL', () => {
  it('says in one line that no server answers, naming the setting but not the password', async () => {
    const bad = `postgres://koban:s3cret@127.0.0.1:${await closedPort()}/koban`;
    const err = await openError({ path: bad, postgres: settings(bad) });
    expect(err.problem).toBe('unreachable');
    expect(err.message).toContain('KOBAN_DATABASE_URL');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toContain('\n');
  });

  it.skipIf(!postgresUrl())('says the server refused a database that does not exist', async () => {
    const url = new URL(postgresUrl() ?? '');
    url.pathname = '/no_such_database';
    const err = await openError({ path: url.toString(), postgres: settings(url.toString()) });
    expect(err.problem).toBe('refused');
    expect(err.message).toContain('no_such_database');
  });

  it.skipIf(!postgresUrl())('migrates a new database and keeps preferences in it', async () => {
    const url = await freshDatabase();
    const store = await KyselyStore.open({ path: url, postgres: settings(url) });
    expect(store.dialect).toBe('postgres');
    await store.updateUser('slack:U1', { lang: 'th' });
    await store.close();
    // A second instance opening the same database applies nothing twice.
    const [a, b] = await Promise.all([
      KyselyStore.open({ path: url, postgres: settings(url) }),
      KyselyStore.open({ path: url, postgres: settings(url) }),
    ]);
    expect(await b.getUser('slack:U1')).toEqual({ lang: 'th' });
    await a.close();
    await b.close();
  });
});
