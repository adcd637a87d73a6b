/**
 * Outgoing calls, one queue per conversation: calls to the same conversation (a channel, or one
 * thread of it) go out in order, and when the platform answers "rate limited, retry after N
 * seconds" the queue waits that long and sends again, so answers arrive late rather than not at
 * all. A refusal holds back every conversation of its group (the threads of one channel: the
 * platform limits the channel) until the wait is over. Platform-neutral: the adapter says how to
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
  /** Groups held back by a rate-limit refusal: until when (`now()` time). */
  private readonly pausedUntil = new Map<string, number>();
  private readonly stopping = new AbortController();
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs `task` after the earlier calls for `key`, retrying it after each rate-limit refusal. Calls
   * of other keys run meanwhile, except that a refusal holds back all of `group` (default: the key
   * alone) for the wait it asks.
   */
  run<T>(key: string, task: () => Promise<T>, group: string = key): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => this.attempt(key, group, task));
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

  private async attempt<T>(key: string, group: string, task: () => Promise<T>): Promise<T> {
    const deadline = this.now() + this.maxWaitMs;
    for (;;) {
      // Another conversation of the group was refused: wait with it rather than be refused too.
      const paused = this.pausedUntil.get(group);
      if (paused !== undefined) {
        const left = paused - this.now();
        if (left <= 0) this.pausedUntil.delete(group);
        else await this.sleep(left);
      }
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
        const until = this.now() + waitMs;
        if (until > (this.pausedUntil.get(group) ?? 0)) this.pausedUntil.set(group, until);
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
