/**
 * Builds some languages' indexes in a worker thread, for `parallel-build.ts`: it gets only those
 * languages' inputs (index-input.ts), builds each index, and sends its snapshot back (typed arrays
 * transferred, not copied) as soon as it is built, so neither thread holds every language's
 * analysed terms.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { buildFromInput } from './index-input.js';
import { type BuildJob, transferablesOf } from './parallel-build.js';

// The job's contents were built by parallel-build.ts in this process; only its shape is checked.
const input = z
  .object({
    port: z.custom<MessagePort>((v) => typeof v === 'object' && v !== null && 'postMessage' in v),
    signal: z.instanceof(Int32Array),
    inputs: z.array(
      z.object({ lang: z.string(), entries: z.array(z.object({ id: z.string() }).loose()) }).loose(),
    ),
  })
  .parse(workerData) as unknown as BuildJob & { port: MessagePort; signal: Int32Array };

/** Tells the waiting thread that a message is there (the count of messages sent). */
function wake(): void {
  Atomics.add(input.signal, 0, 1);
  Atomics.notify(input.signal, 0);
}

try {
  for (const job of input.inputs) {
    const snapshot = buildFromInput(job).snapshot();
    input.port.postMessage({ lang: job.lang, snapshot }, transferablesOf(snapshot));
    wake();
  }
} catch (err) {
  input.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  wake();
}
