/** `koban start`'s warm-up after ready: what `koban ask` leaves until used, loaded a step at a time. */
import type { Logger } from '../logger.js';

/** A step of the warm-up after ready: a name for the log, and the work. */
export type WarmUpStep = readonly [name: string, run: () => unknown];

/**
 * Runs each step in a macrotask of its own (`setImmediate`, after the pending I/O), so an event that
 * arrives during the warm-up waits for one step at most (tens of milliseconds each on a cached
 * start), not for all of them. A step that fails is logged and the rest still run; what it would
 * have loaded is then loaded on first use, as before. Resolves when every step has run (tests).
 */
export function warmUp(steps: readonly WarmUpStep[], logger: Pick<Logger, 'warn' | 'debug'>): Promise<void> {
  return new Promise((resolve) => {
    const next = (i: number) => {
      const step = steps[i];
      if (!step) {
        resolve();
        return;
      }
      setImmediate(() => {
        const [name, run] = step;
        const started = performance.now();
        try {
          run();
          logger.debug({ step: name, ms: Math.round(performance.now() - started) }, 'warm-up step done');
        } catch (err) {
          logger.warn({ err, step: name }, 'a warm-up step failed; it is done on first use instead');
        }
        next(i + 1);
      });
    };
    next(0);
  });
}
