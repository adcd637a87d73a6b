/**
 * Builds some languages' indexes in a worker thread, for `parallel-build.ts`: it gets only those
 * languages' inputs (index-input.ts), one message each, waiting on its port in the order it builds
 * them; it builds each index, and sends its snapshot back (typed arrays transferred, not copied)
 * as soon as it is built, so neither thread holds every language's analysed terms, and this one
 * holds one language's input at a time.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { Lang } from '../../core/languages.js';
import { buildFromInput, type LanguageIndexInput } from './index-input.js';
import { type BuildJob, transferablesOf } from './parallel-build.js';

// The job and the inputs were built by parallel-build.ts in this process; only their shape is checked.
const job = z
  .object({
    port: z.custom<MessagePort>((v) => typeof v === 'object' && v !== null && 'postMessage' in v),
    signal: z.instanceof(Int32Array),
    langs: z.array(z.string()),
  })
  .parse(workerData) as unknown as BuildJob & { port: MessagePort; signal: Int32Array };
const message = z.object({
  input: z.object({ lang: z.string(), entries: z.array(z.object({ id: z.string() }).loose()) }).loose(),
});

/** Tells the waiting thread that a message is there (the count of messages sent). */
function wake(): void {
  Atomics.add(job.signal, 0, 1);
  Atomics.notify(job.signal, 0);
}

/** The next language's input, queued on the port before this worker started. */
function nextInput(lang: Lang): LanguageIndexInput {
  const got = receiveMessageOnPort(job.port);
  if (!got) throw new Error(`no input for ${lang}`);
  const { input } = message.parse(got.message) as unknown as { input: LanguageIndexInput };
  if (input.lang !== lang) throw new Error(`the input of ${input.lang} came for ${lang}`);
  return input;
}

try {
  for (const lang of job.langs) {
    const snapshot = buildFromInput(nextInput(lang)).snapshot();
    job.port.postMessage({ lang, snapshot }, transferablesOf(snapshot));
    wake();
  }
} catch (err) {
  job.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  wake();
}
