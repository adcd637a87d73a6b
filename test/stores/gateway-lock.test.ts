import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AdvisoryGatewayLock, lockKey } from '../../src/stores/gateway-lock.js';
import { freshDatabase, postgresUrl, settings } from '../helpers/postgres.js';

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe.skipIf(!postgresUrl())('the Discord gateway lock on PostgreSQL', () => {
  it('is held by one instance; another takes over once the holder’s connection dies', async () => {
    const url = await freshDatabase();
    const key = lockKey('1234567890');
    const events: string[] = [];
    const handlers = (name: string) => ({
      onHeld: async () => void events.push(`${name} held`),
      onLost: async () => void events.push(`${name} lost`),
    });
    const a = new AdvisoryGatewayLock(settings(url), key, { pollMs: 100 });
    const b = new AdvisoryGatewayLock(settings(url), key, { pollMs: 100 });
    await a.start(handlers('a'));
    await b.start(handlers('b'));
    await new Promise((r) => setTimeout(r, 300));
    expect([a.role(), b.role()]).toEqual(['held', 'standby']);
    expect(events).toEqual(['a held']);

    // The holder's session ends as when its process is killed: the server releases the lock.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()`,
    );
    await admin.end();
    const tookMs = await until(() => b.role() === 'held', 5000);
    expect(tookMs).toBeLessThan(5000);
    await until(() => events.includes('a lost'), 5000);
    // a retries at its next poll and now stands by: one holder at a time.
    await new Promise((r) => setTimeout(r, 300));
    expect([a.role(), b.role()]).toEqual(['standby', 'held']);
    expect(events.filter((e) => e.endsWith('held'))).toEqual(['a held', 'b held']);

    await b.stop();
    await until(() => a.role() === 'held', 5000);
    await a.stop();
  });

  it('keys different bots apart', () => {
    expect(lockKey('111')).not.toBe(lockKey('222'));
    expect(lockKey('111')).toBe(lockKey('111'));
    expect(lockKey('secret-token')).not.toContain('secret');
  });
});
