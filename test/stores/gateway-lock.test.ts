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
  it('lets a standby take over within seconds when the holder dies (its connection closes)', async () => {
    const url = await freshDatabase();
    const key = lockKey('1234567890');
    // The holder: another process's session holding the lock.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    holder.on('error', () => undefined);
    await holder.query('select pg_advisory_lock($1::bigint)', [key]);
    const held: string[] = [];
    const b = new AdvisoryGatewayLock(settings(url), key, { pollMs: 100 });
    await b.start({ onHeld: async () => void held.push('b'), onLost: async () => undefined });
    await new Promise((r) => setTimeout(r, 400));
    expect(b.role()).toBe('standby');
    expect(held).toEqual([]);
    // kill -9 of the holder: its socket closes without a goodbye.
    (holder as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const tookMs = await until(() => b.role() === 'held', 15_000);
    expect(held).toEqual(['b']);
    expect(tookMs).toBeLessThan(15_000);
    await b.stop();
  });

  it('tells the holder it lost the lock when its connection is cut, and takes it again when free', async () => {
    const url = await freshDatabase();
    const events: string[] = [];
    const a = new AdvisoryGatewayLock(settings(url), lockKey('42'), { pollMs: 100 });
    await a.start({
      onHeld: async () => void events.push('held'),
      onLost: async () => void events.push('lost'),
    });
    expect(a.role()).toBe('held');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()`,
    );
    await admin.end();
    await until(() => events.length >= 3, 15_000);
    expect(events).toEqual(['held', 'lost', 'held']);
    await a.stop();
  });

  it('keys different bots apart', () => {
    expect(lockKey('111')).not.toBe(lockKey('222'));
    expect(lockKey('111')).toBe(lockKey('111'));
    expect(lockKey('secret-token')).not.toContain('secret');
  });
});
