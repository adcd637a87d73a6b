/**
 * An adapter that runs only while this instance holds its lock (the Discord gateway with several
 * instances): connected when the lock is taken, disconnected when it is lost. A standby counts as
 * healthy; `gatewayRole()` tells `/healthz` which one this instance is.
 */
import type { Adapter, StopOptions } from '../core/adapter.js';
import type { Logger } from '../logger.js';
import type { GatewayLock, GatewayRole } from '../stores/gateway-lock.js';

export class LeaderAdapter implements Adapter {
  readonly name: string;
  private running = false;
  /** Start and stop of the inner adapter, one at a time. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: Adapter,
    private readonly lock: GatewayLock,
    private readonly logger: Pick<Logger, 'error' | 'info'>,
  ) {
    this.name = inner.name;
  }

  /** Takes the lock when free and starts the adapter (its errors reach the caller, as without a lock); otherwise stands by. */
  async start(): Promise<void> {
    let first = true;
    await this.lock.start({
      onHeld: async () => {
        const starting = this.serially(async () => {
          await this.inner.start();
          this.running = true;
        });
        if (first) {
          first = false;
          await starting;
          return;
        }
        await starting.catch((err: unknown) =>
          this.logger.error({ err }, `${this.name}: could not start after taking over`),
        );
      },
      onLost: async () => {
        await this.serially(() => this.stopInner({})).catch((err: unknown) =>
          this.logger.error({ err }, `${this.name}: did not stop cleanly after losing the lock`),
        );
      },
    });
    first = false;
  }

  async stop(options: StopOptions = {}): Promise<void> {
    await this.serially(() => this.stopInner(options));
    await this.lock.stop();
  }

  connected(): boolean {
    if (this.lock.role() === 'standby') return true;
    return this.running && (this.inner.connected?.() ?? true);
  }

  gatewayRole(): GatewayRole {
    return this.lock.role();
  }

  private async stopInner(options: StopOptions): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.inner.stop(options);
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** The gateway role an adapter reports, when it runs under a lock. */
export function gatewayRoleOf(adapter: Adapter): GatewayRole | undefined {
  return adapter instanceof LeaderAdapter ? adapter.gatewayRole() : undefined;
}
