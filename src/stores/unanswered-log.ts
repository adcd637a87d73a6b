/**
 * The FAQ handler's side write: recording an unanswered question must never delay or fail the
 * reply (issue 11, defect 7). A failed write is retried once, then dropped with a warning.
 */
import type { Logger } from '../logger.js';
import type { UnansweredStore } from './store.js';
import type { UnansweredQuestion } from './unanswered.js';

export interface UnansweredLog {
  /** Starts the write and returns at once. */
  record(q: UnansweredQuestion): void;
  /** Resolves when every write started so far has finished or been dropped (tests, shutdown). */
  flush(): Promise<void>;
}

export class StoreUnansweredLog implements UnansweredLog {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: UnansweredStore,
    private readonly logger: Logger,
    private readonly retryDelayMs = 200,
  ) {}

  record(q: UnansweredQuestion): void {
    const write = this.attempt(q).finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  private async attempt(q: UnansweredQuestion): Promise<void> {
    // On the next macrotask: the reply goes out first.
    await new Promise((r) => setImmediate(r));
    try {
      await this.store.record(q);
      return;
    } catch (err) {
      this.logger.warn({ err: errorSummary(err) }, 'could not record an unanswered question; retrying once');
    }
    await new Promise((r) => setTimeout(r, this.retryDelayMs).unref());
    try {
      await this.store.record(q);
    } catch (err) {
      this.logger.error({ err: errorSummary(err) }, 'dropped an unanswered question after a failed retry');
    }
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

/** The error without the question or the user (they are personal data). */
function errorSummary(err: unknown): { message: string; code?: string } {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? { message: err.message, code } : { message: err.message };
}
