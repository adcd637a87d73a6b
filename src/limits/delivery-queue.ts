/**
 * Outgoing calls, one queue per conversation: calls to the same channel go out in order, and when
 * the platform answers "rate limited, retry after N seconds" the queue waits that long and sends
 * again, so answers arrive late rather than not at all. Platform-neutral: the adapter says how to
 * read a rate-limit refusal.
 */
import type { Logger } from '../logger.js';

export interface DeliveryQueueOptions {
  /** The seconds to wait when `err` is a rate-limit refusal; undefined for any other failure. */
  retryAfter(err: unknown): number | undefined;
  logger: Logger;
  /** Longest a call may keep waiting for its turn before it fails (default one minute). */
  maxWaitMs?: number;
  now?: () => number;
}

export class DeliveryQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Runs `task` after the earlier calls for `key`, retrying it after each rate-limit refusal. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => this.attempt(key, task));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Stops waiting: calls still held back by a rate limit fail at once (shutdown). */
  close(): void {
    this.stopping.abort();
  }

  private async attempt<T>(key: string, task: () => Promise<T>): Promise<T> {
    const deadline = this.now() + this.maxWaitMs;
    for (;;) {
      try {
        return await task();
      } catch (err) {
        const seconds = this.options.retryAfter(err);
        if (seconds === undefined || this.stopping.signal.aborted) throw err;
        const waitMs = Math.max(50, seconds * 1000);
        if (this.now() + waitMs > deadline) throw err;
        this.options.logger.warn(
          { key, retryAfter: seconds },
          'rate limited by the platform; waiting, then sending again',
        );
        if (!(await this.sleep(waitMs))) throw err;
      }
    }
  }

  /** Waits `ms`; false when the queue was closed meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    return new Promise((resolve) => {
      const done = (completed: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(completed);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener('abort', onAbort);
    });
  }
}
