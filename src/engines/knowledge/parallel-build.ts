/**
 * Builds the FAQ engine's eight language indexes on two threads: this one and a worker
 * (`language-build-worker.ts`), each building its share of the languages one after another. The
 * worker gets only its languages' text and sends each index back as a snapshot whose typed arrays
 * are transferred, not copied. It stays synchronous (like `new FaqEngine`): this thread builds its
 * own share, then blocks until the worker's snapshots are in. A worker that cannot start or fails
 * leaves its languages to this thread, so the result is always the same engine.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { buildLanguageIndex, FaqEngine } from './faq-engine.js';
import type { FaqEntry } from './faq-entry.js';
import { type GlossaryConcept, searchGlossary } from './glossary.js';
import { type LanguageIndexSnapshot, TUNING } from './language-index.js';
import type { KnowledgeBase } from './loader.js';
import type { SynonymGroups } from './synonyms.js';

/** What a worker is given: its languages and only their text. */
export interface BuildJob {
  langs: Lang[];
  entries: FaqEntry[];
  synonyms: Partial<Record<Lang, SynonymGroups>>;
  offTopic: Partial<Record<Lang, string[]>>;
  errands: Partial<Record<Lang, string[]>>;
  glossary: GlossaryConcept[];
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

/** Languages per thread (the first for this thread), by greedy assignment of the costliest first. */
export function splitLanguages(threads: number): Lang[][] {
  const groups: Lang[][] = Array.from({ length: threads }, () => []);
  const load = Array.from({ length: threads }, (_, i): number => (i === 0 ? 0 : WORKER_START_COST));
  for (const lang of [...LANGUAGES].sort((a, b) => COST[b] - COST[a])) {
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

/** The entries with only `langs`' translations (and English beside Tagalog, which indexes it too). */
function sliceEntries(kb: KnowledgeBase, langs: readonly Lang[]): FaqEntry[] {
  const wanted = new Set<Lang>(langs);
  if (wanted.has('tl')) wanted.add('en');
  return [...kb.entries.values()].map((entry) => {
    const translations: FaqEntry['translations'] = {};
    for (const lang of wanted) {
      const t = entry.translations[lang];
      if (t) translations[lang] = t;
    }
    return { ...entry, translations };
  });
}

function pick<T>(
  record: Partial<Record<Lang, T>> | undefined,
  langs: readonly Lang[],
): Partial<Record<Lang, T>> {
  const out: Partial<Record<Lang, T>> = {};
  for (const lang of langs) {
    const value = record?.[lang];
    if (value !== undefined) out[lang] = value;
  }
  return out;
}

function buildHere(kb: KnowledgeBase, lang: Lang): LanguageIndexSnapshot {
  return buildLanguageIndex(kb, lang).snapshot();
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
  const job: BuildJob = {
    langs,
    entries: sliceEntries(kb, langs),
    synonyms: pick(kb.synonyms, langs),
    offTopic: pick(kb.offTopic, langs),
    errands: pick(kb.errands, langs),
    glossary: searchGlossary(kb.glossary ?? []),
  };
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
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
function threadsFor(kb: KnowledgeBase, options: { threads?: number }): number {
  const wanted =
    options.threads ?? (kb.entries.size >= PARALLEL_MIN_ENTRIES ? Math.min(2, availableParallelism()) : 1);
  return Math.max(1, Math.min(LANGUAGES.length, Math.floor(wanted)));
}

/**
 * Every language's index snapshot for `kb`, built on `threads` threads (default: two when the
 * machine has two cores and the base is large enough to gain from it), and which of them came from
 * a worker (the rest were built on this thread).
 */
export function buildSnapshots(
  kb: KnowledgeBase,
  options: { threads?: number } = {},
): { snapshots: Map<Lang, LanguageIndexSnapshot>; fromWorkers: Lang[] } {
  const [own = [], ...others] = splitLanguages(threadsFor(kb, options));
  const workers = others.map((langs) => startWorker(kb, langs));
  const snapshots = new Map<Lang, LanguageIndexSnapshot>();
  for (const lang of own) snapshots.set(lang, buildHere(kb, lang));
  for (const running of workers) if (running) collect(running, snapshots);
  const fromWorkers = LANGUAGES.filter((lang) => snapshots.has(lang) && !own.includes(lang));
  // Whatever a worker did not deliver is built here.
  for (const lang of LANGUAGES) if (!snapshots.has(lang)) snapshots.set(lang, buildHere(kb, lang));
  return { snapshots, fromWorkers };
}

/** The FAQ engine of `kb`, its indexes built by buildSnapshots: the same engine `new FaqEngine(kb)` gives. */
export function buildFaqEngine(kb: KnowledgeBase, options: { threads?: number } = {}): FaqEngine {
  const threads = threadsFor(kb, options);
  return threads < 2 ? new FaqEngine(kb) : new FaqEngine(kb, buildSnapshots(kb, { threads }).snapshots);
}
