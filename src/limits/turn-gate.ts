/**
 * At most `limit` messages worked on at once per adapter, the rest waiting in arrival order. Past
 * the bot's capacity, unbounded concurrency shares the CPU among every message received, so all of
 * them finish late (and their outgoing calls run into time-outs); with a bound, the oldest finish
 * first and the bot keeps answering at the rate it can. The bound is far above what a healthy bot
 * holds (messages per second x seconds per answer, network included), so it only acts when overloaded.
 */
export const TURNS_IN_FLIGHT = 64;

export class TurnGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number = TURNS_IN_FLIGHT) {}

  /** Messages waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` once fewer than `limit` tasks are running; tasks start in the order they came. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the oldest waiting task.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
