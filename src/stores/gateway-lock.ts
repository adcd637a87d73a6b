/**
 * Which instance runs the Discord gateway: a bot token's shard must be connected from one process
 * only. On PostgreSQL the holder keeps a session-level advisory lock on a connection of its own;
 * when the holder dies its connection closes and the server releases the lock, and a standby that
 * polls every few seconds takes it over. On SQLite there is one process, which always holds it.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { Logger } from '../logger.js';
import { isConnectionError, type PostgresSettings, pgConfig } from './db.js';

export type GatewayRole = 'held' | 'standby';

export interface GatewayLock {
  role(): GatewayRole;
  /**
   * Starts trying to hold the lock; `onHeld` runs each time this instance gets it, `onLost` when it
   * loses it (its connection dropped). Resolves after the first attempt.
   */
  start(handlers: { onHeld: () => Promise<void>; onLost: () => Promise<void> }): Promise<void>;
  /** Stops trying and releases the lock. */
  stop(): Promise<void>;
}

/** The single process of a SQLite deployment: always the holder. */
export class SoleGatewayLock implements GatewayLock {
  role(): GatewayRole {
    return 'held';
  }

  async start(handlers: { onHeld: () => Promise<void> }): Promise<void> {
    await handlers.onHeld();
  }

  async stop(): Promise<void> {}
}

/** The advisory-lock key of one bot: a 64-bit number from a hash of its identity (never the token itself). */
export function lockKey(identity: string): string {
  return createHash('sha256')
    .update(`koban-discord-gateway:${identity}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

export interface AdvisoryLockOptions {
  /** How often a standby tries the lock, and the holder checks its connection (ms). */
  pollMs?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The PostgreSQL holder election (`pg_try_advisory_lock` on a dedicated connection). */
export class AdvisoryGatewayLock implements GatewayLock {
  private client: Client | undefined;
  private held = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private handlers: { onHeld: () => Promise<void>; onLost: () => Promise<void> } | undefined;
  private readonly pollMs: number;
  /** One attempt or check at a time. */
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: PostgresSettings,
    private readonly key: string,
    private readonly options: AdvisoryLockOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 5000;
  }

  role(): GatewayRole {
    return this.held ? 'held' : 'standby';
  }

  async start(handlers: { onHeld: () => Promise<void>; onLost: () => Promise<void> }): Promise<void> {
    this.handlers = handlers;
    await this.tick();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
    const client = this.client;
    this.client = undefined;
    this.held = false;
    // Closing the session releases a session-level lock.
    await client?.end().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    this.busy = this.busy.then(() => this.attempt());
    return this.busy;
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.connection();
      if (this.held) {
        // The holder checks its session is still there; a dead one means the lock is gone.
        await client.query('select 1');
        return;
      }
      const res = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [
        this.key,
      ]);
      if (res.rows[0]?.ok === true && !this.stopped) {
        this.held = true;
        this.options.logger?.info('discord: this instance holds the gateway');
        await this.handlers?.onHeld();
      }
    } catch (err) {
      await this.lose(err);
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const { default: pg } = await import('pg');
    const client = new pg.Client(pgConfig(this.settings));
    client.on('error', (err) => void this.lose(err));
    await client.connect();
    this.client = client;
    return client;
  }

  /** The lock's connection failed: stop the gateway if it ran here, and try again at the next poll. */
  private async lose(err: unknown): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    const level = isConnectionError(err) ? 'warn' : 'error';
    const reason = err instanceof Error ? err.message : String(err);
    if (!this.held) {
      this.options.logger?.[level](
        { reason },
        'discord: cannot reach the database for the gateway lock; retrying',
      );
      return;
    }
    this.held = false;
    this.options.logger?.[level](
      { reason },
      'discord: lost the gateway lock with its database connection; standing by',
    );
    await this.handlers?.onLost();
  }
}
