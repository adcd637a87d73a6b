/**
 * Builds the FAQ engine's eight language indexes on two threads: this one and a worker
 * (`language-build-worker.ts`), each building its share of the languages one after another. The
 * worker gets only its languages' inputs (index-input.ts) and sends each index back as a snapshot
 * whose typed arrays are transferred, not copied. It stays synchronous (like `new FaqEngine`): this
 * thread builds its own share, then blocks until the worker's snapshots are in. A worker that
 * cannot start or fails leaves its languages to this thread, so the result is always the same
 * engine. With an index cache (buildWithCache), only the languages whose input changed are built.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { FaqEngine } from './faq-engine.js';
import { engineHash, partSources, type SavedPart, savedParts, writeIndexCache } from './index-cache.js';
import { buildFromInput, inputKey, languageIndexInput } from './index-input.js';
import { type LanguageIndexSnapshot, TUNING } from './language-index.js';
import type { KnowledgeBase } from './loader.js';

/**
 * What a worker is given (workerData): its languages, in order; each one's input waits for it on
 * the port as a message of its own (`{ input }`), so that the worker holds one language's input at
 * a time (the others stay serialised until their turn) and lets it go once that index is built.
 */
export interface BuildJob {
  langs: Lang[];
}

/**
 * Build cost of each language's index (CPU seconds at 2,000 generated entries), to split the
 * languages evenly between the threads: Japanese and Thai character groups and Vietnamese syllable
 * pairs make the most terms.
 */
const COST: Record<Lang, number> = { ja: 3.1, th: 2.7, vi: 2.2, tl: 1.4, tr: 1.0, fa: 1.0, en: 0.7, id: 0.6 };
/** A worker's start (loading the engine's modules), in the same seconds. */
const WORKER_START_COST = 0.2;
/**
 * Bases of up to this many entries build on one thread by default. Measured on the shipped base
 * (52 entries, classifier trained; compiled, load average 16-19, CPU of this thread and of the
 * others): one thread 1.6-2.3 s on this thread and 1.1-1.4 s on V8's garbage collector threads;
 * two threads 0.8-1.0 s here but 3.7-4.2 s in all, so on two cores the worker's start and second
 * heap cost about what they save. Above it (no classifier, builds of tens of seconds) the split pays.
 */
export const PARALLEL_MIN_ENTRIES = TUNING.classifierMaxEntries + 1;

/**
 * Languages per thread (the first for this thread), by greedy assignment of the costliest first;
 * `langs`: the languages to build (default all).
 */
export function splitLanguages(threads: number, langs: readonly Lang[] = LANGUAGES): Lang[][] {
  const groups: Lang[][] = Array.from({ length: threads }, () => []);
  const load = Array.from({ length: threads }, (_, i): number => (i === 0 ? 0 : WORKER_START_COST));
  for (const lang of [...langs].sort((a, b) => COST[b] - COST[a])) {
    let best = 0;
    for (let i = 1; i < threads; i++) if ((load[i] as number) < (load[best] as number)) best = i;
    (groups[best] as Lang[]).push(lang);
    load[best] = (load[best] as number) + COST[lang];
  }
  return groups;
}

/** The ArrayBuffers under a snapshot's typed arrays, to transfer instead of copying them. */
export function transferablesOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value instanceof Map) {
    for (const v of value.values()) {
      if (typeof v !== 'object' || v === null) break; // a Map of primitives (term -> id)
      transferablesOf(v, out);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) {
      if (typeof v !== 'object' || v === null) break; // a list of strings or numbers
      transferablesOf(v, out);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) transferablesOf(v, out);
  }
  return [...out];
}

function buildHere(kb: KnowledgeBase, lang: Lang): LanguageIndexSnapshot {
  return buildFromInput(languageIndexInput(kb, lang)).snapshot();
}

interface Running {
  worker: Worker;
  port: import('node:worker_threads').MessagePort;
  /** [0]: messages sent so far; [1]: 1 once the worker has exited. */
  signal: Int32Array;
  waiting: Set<Lang>;
}

/** Starts a worker on `langs`, or returns undefined when it cannot start. */
function startWorker(kb: KnowledgeBase, langs: Lang[]): Running | undefined {
  const job: BuildJob = { langs };
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  // Queued before the worker starts: it takes each when it comes to it.
  for (const lang of langs) port1.postMessage({ input: languageIndexInput(kb, lang) });
  // Compiled, the worker is the JavaScript file; under tsx (development, tests) tsx is registered
  // in the worker first. Any way the worker ends marks it exited, so the wait below never hangs.
  const compiled = !import.meta.url.endsWith('.ts');
  const entry = new URL(`./language-build-worker.${compiled ? 'js' : 'ts'}`, import.meta.url);
  try {
    const load = compiled
      ? `import(${JSON.stringify(entry.href)})`
      : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
    const code = `
const { workerData } = require('node:worker_threads');
const ended = () => { Atomics.store(workerData.signal, 1, 1); Atomics.add(workerData.signal, 0, 1); Atomics.notify(workerData.signal, 0); };
process.on('exit', ended);
const fail = () => { ended(); process.exit(1); };
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
${load}.then(() => workerData.port.close(), fail);`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { ...job, port: port2, signal },
      transferList: [port2],
    });
    // Errors are reported through the signal; the event would otherwise throw once this thread is free.
    worker.on('error', () => {});
    worker.unref();
    return { worker, port: port1, signal, waiting: new Set(langs) };
  } catch {
    port1.close();
    return undefined;
  }
}

/** Build workers told to stop and not yet exited. */
const exiting = new Set<Promise<unknown>>();

/**
 * Resolves once every build worker has exited: until then a worker's heap (its copy of its
 * languages' text and what its builds left) is still resident. For measurements (the bench).
 */
export async function buildWorkersExited(): Promise<void> {
  await Promise.all([...exiting]);
}

/** Blocks until the worker has sent every index or ended; returns what it sent. */
function collect(running: Running, into: Map<Lang, LanguageIndexSnapshot>): void {
  const { port, signal, waiting } = running;
  while (waiting.size > 0) {
    const sent = Atomics.load(signal, 0);
    const got = receiveMessageOnPort(port);
    if (got) {
      const message = got.message as { lang?: Lang; snapshot?: LanguageIndexSnapshot; error?: string };
      if (message.lang && message.snapshot) {
        into.set(message.lang, message.snapshot);
        waiting.delete(message.lang);
      } else break; // the worker failed: its remaining languages are built here
      continue;
    }
    if (Atomics.load(signal, 1) === 1) break;
    Atomics.wait(signal, 0, sent, 1000);
  }
  port.close();
  const exited = running.worker.terminate().catch(() => 0);
  exiting.add(exited);
  void exited.finally(() => exiting.delete(exited));
}

/** Threads to build on: as asked (1 to 8), else two when there are two cores and enough entries. */
function threadsFor(
  kb: KnowledgeBase,
  options: { threads?: number },
  langs: number = LANGUAGES.length,
): number {
  const wanted =
    options.threads ?? (kb.entries.size >= PARALLEL_MIN_ENTRIES ? Math.min(2, availableParallelism()) : 1);
  return Math.max(1, Math.min(LANGUAGES.length, langs, Math.floor(wanted)));
}

/**
 * The index snapshots of `langs` (default every language) for `kb`, built on `threads` threads
 * (default: two when the machine has two cores and the base is large enough to gain from it), and
 * which of them came from a worker (the rest were built on this thread).
 */
export function buildSnapshots(
  kb: KnowledgeBase,
  options: { threads?: number; langs?: readonly Lang[] } = {},
): { snapshots: Map<Lang, LanguageIndexSnapshot>; fromWorkers: Lang[] } {
  const langs = options.langs ?? LANGUAGES;
  const snapshots = new Map<Lang, LanguageIndexSnapshot>();
  if (langs.length === 0) return { snapshots, fromWorkers: [] };
  const [own = [], ...others] = splitLanguages(threadsFor(kb, options, langs.length), langs);
  const workers = others.map((group) => startWorker(kb, group));
  for (const lang of own) snapshots.set(lang, buildHere(kb, lang));
  for (const running of workers) if (running) collect(running, snapshots);
  const fromWorkers = langs.filter((lang) => snapshots.has(lang) && !own.includes(lang));
  // Whatever a worker did not deliver is built here.
  for (const lang of langs) if (!snapshots.has(lang)) snapshots.set(lang, buildHere(kb, lang));
  return { snapshots, fromWorkers };
}

/** The FAQ engine of `kb`, its indexes built by buildSnapshots: the same engine `new FaqEngine(kb)` gives. */
export function buildFaqEngine(kb: KnowledgeBase, options: { threads?: number } = {}): FaqEngine {
  const threads = threadsFor(kb, options);
  return threads < 2 ? new FaqEngine(kb) : new FaqEngine(kb, buildSnapshots(kb, { threads }).snapshots);
}

/** What buildWithCache did: which languages it built, and which it took from a kept cache file. */
export interface CachedBuild {
  faq: FaqEngine;
  rebuilt: Lang[];
  reused: Lang[];
  /** Why the new cache file could not be written (the engine serves all the same). */
  writeError?: unknown;
}

/**
 * The FAQ engine of `kb`, saved in the index cache under `hash`: each language's index is built only
 * when no cache file in `cacheDir` holds one under its key (a hash of its input, index-input.ts,
 * and of `engine`, the engine's code: see engineHash); the others are copied from the file that
 * holds them, as they are, and restored when first searched.
 */
export function buildWithCache(
  kb: KnowledgeBase,
  cacheDir: string,
  hash: string,
  options: { threads?: number; engine?: string } = {},
): CachedBuild {
  const engine = options.engine ?? engineHash();
  const saved = savedParts(cacheDir);
  const keys = new Map<Lang, string>();
  const reused = new Map<Lang, SavedPart>();
  for (const lang of LANGUAGES) {
    const key = inputKey(languageIndexInput(kb, lang), engine);
    keys.set(lang, key);
    const part = saved.get(key);
    if (part) reused.set(lang, part);
  }
  const rebuilt = LANGUAGES.filter((lang) => !reused.has(lang));
  const { snapshots } = buildSnapshots(kb, {
    langs: rebuilt,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  let sources = reused;
  let writeError: unknown;
  try {
    const indexes = new Map<Lang, LanguageIndexSnapshot | SavedPart>();
    for (const lang of LANGUAGES) indexes.set(lang, snapshots.get(lang) ?? (reused.get(lang) as SavedPart));
    const written = writeIndexCache(cacheDir, hash, { knowledge: kb, indexes, keys });
    sources = new Map([...written].filter(([lang]) => reused.has(lang)));
  } catch (err) {
    // The reused parts are read from their old file (or, when it is gone, built on first use).
    writeError = err;
  }
  const indexes = new Map<Lang, LanguageIndexSnapshot | (() => LanguageIndexSnapshot | undefined)>([
    ...snapshots,
    ...partSources(sources),
  ]);
  return {
    faq: new FaqEngine(kb, indexes),
    rebuilt,
    reused: [...reused.keys()],
    ...(writeError === undefined ? {} : { writeError }),
  };
}
