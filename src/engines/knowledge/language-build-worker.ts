/**
 * Builds some languages' indexes in a worker thread, for `parallel-build.ts`: it gets only those
 * languages' text, builds each index, and sends its snapshot back (typed arrays transferred, not
 * copied) as soon as it is built, so neither thread holds every language's analysed terms.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { Lang } from '../../core/languages.js';
import type { FaqEntry } from './faq-entry.js';
import type { GlossaryConcept } from './glossary.js';
import { LanguageIndex } from './language-index.js';
import { type BuildJob, transferablesOf } from './parallel-build.js';
import type { SynonymGroups } from './synonyms.js';

// The job's contents were built by parallel-build.ts in this process; only its shape is checked.
const input = z
  .object({
    port: z.custom<MessagePort>((v) => typeof v === 'object' && v !== null && 'postMessage' in v),
    signal: z.instanceof(Int32Array),
    langs: z.array(z.string()),
    entries: z.array(z.object({ id: z.string() }).loose()),
    synonyms: z.record(z.string(), z.array(z.unknown())),
    offTopic: z.record(z.string(), z.array(z.string())),
    errands: z.record(z.string(), z.array(z.string())),
    glossary: z.array(z.unknown()),
  })
  .parse(workerData) as unknown as BuildJob & { port: MessagePort; signal: Int32Array };

/** Tells the waiting thread that a message is there (the count of messages sent). */
function wake(): void {
  Atomics.add(input.signal, 0, 1);
  Atomics.notify(input.signal, 0);
}

try {
  for (const lang of input.langs as Lang[]) {
    const index = new LanguageIndex(
      lang,
      input.entries as FaqEntry[],
      (input.synonyms[lang] ?? []) as SynonymGroups,
      input.offTopic[lang] ?? [],
      undefined,
      input.errands[lang] ?? [],
      input.glossary as GlossaryConcept[],
    );
    const snapshot = index.snapshot();
    input.port.postMessage({ lang, snapshot }, transferablesOf(snapshot));
    wake();
  }
} catch (err) {
  input.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  wake();
}
