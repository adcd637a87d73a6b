/** The measured parts of `npm run bench`, each run in its own process by bench/run.ts. */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Lang } from '../src/core/languages.js';
import { LANGUAGES } from '../src/core/languages.js';
import { FaqEngine } from '../src/engines/knowledge/faq-engine.js';
import { readIndexCache, writeIndexCache } from '../src/engines/knowledge/index-cache.js';
import { TUNING } from '../src/engines/knowledge/language-index.js';
import { type KnowledgeBase, loadKnowledge } from '../src/engines/knowledge/loader.js';
import { buildFaqEngine, buildWorkersExited } from '../src/engines/knowledge/parallel-build.js';
import { BaselineSearch } from '../src/eval/baseline.js';
import { type Outcome, percentile, summarize } from '../src/eval/metrics.js';
import { isIntentQuestion, isOutOfScope, type Question, readQuestionSet } from '../src/eval/question-set.js';
import { score } from '../src/eval/run-eval.js';
import { createRuntime } from '../src/main.js';
import { type GeneratedQuestion, generateKb } from './generate-kb.js';
import type { Row } from './run.js';

const ROOT = join(import.meta.dirname, '..');
const DEV_SET = join(ROOT, 'test', 'dev-set');

function shipped(): KnowledgeBase {
  const kb = loadKnowledge(join(ROOT, 'knowledge')).knowledge;
  if (!kb) throw new Error('the knowledge base has errors: run `npm run koban -- kb validate`');
  return kb;
}

/** The FAQ questions, as `koban eval` counts top-1: no schedule, intent, conversation or follow-up items. */
const faqOnly = (set: Question[]): Question[] =>
  set.filter((q) => q.sessions === undefined && !q.conversation && !q.followUp && !isIntentQuestion(q));

/** Times `fn` over the questions, round robin, until `turns` calls. */
async function latency<T>(
  questions: T[],
  turns: number,
  fn: (q: T, i: number) => unknown,
): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < turns; i++) {
    const q = questions[i % questions.length] as T;
    const t0 = performance.now();
    await fn(q, i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

/** Top-1 of in-scope FAQ questions and the share of off-topic ones refused, as `koban eval` counts. */
function quality(outcomes: Outcome[]): { top1: number; offTopicRefused: number } {
  const m = summarize(outcomes);
  return { top1: m.top1, offTopicRefused: m.fallbackRecall };
}

function simpleOutcome(q: Question, answer: string | undefined): Outcome {
  const refused = answer === undefined;
  const right = refused ? isOutOfScope(q) : q.expect.includes(answer);
  return {
    lang: q.lang,
    outOfScope: isOutOfScope(q),
    schedule: false,
    conversation: false,
    refused,
    right,
    rank: right ? 1 : 0,
    ms: 0,
  };
}

export async function kobanShipped(turns: number): Promise<Row[]> {
  const set = readQuestionSet(DEV_SET);
  const data = mkdtempSync(join(tmpdir(), 'koban-bench-'));
  const t0 = performance.now();
  const runtime = await createRuntime(loadConfig({ KOBAN_DATA_DIR: data }));
  const buildMs = performance.now() - t0;
  // First pass: as `koban eval` runs it (a new user per question), for top-1 and cold-cache latency.
  const outcomes: Outcome[] = [];
  const first: number[] = [];
  for (const [i, q] of set.entries()) {
    if (q.course) await runtime.store.updateUser(`cli:eval-${i}`, { course: q.course });
    const t = performance.now();
    const reply = await runtime.assistant.handle({
      platform: 'cli',
      userId: `eval-${i}`,
      text: q.text,
      localeHint: q.lang,
      direct: true,
      ...(q.now ? { now: new Date(q.now) } : {}),
    });
    const ms = performance.now() - t;
    first.push(ms);
    outcomes.push(score(q, reply, ms));
  }
  // The first pass's after-reply writes (context, preferences) are its own work: done before the
  // timed turns so that they do not run inside them.
  await runtime.assistant.flush();
  // Then known users (five per language) asking the set round robin: the steady state of a chat.
  // A message that opens the visit request form (the form would take that user's following
  // messages as its answers) is timed, then the form is dropped, untimed, as if abandoned.
  const ms: number[] = [];
  let forms = 0;
  for (let i = 0; i < turns; i++) {
    const q = set[i % set.length] as Question;
    const userId = `bench-${q.lang}-${i % 5}`;
    const t = performance.now();
    const reply = await runtime.assistant.handle({
      platform: 'cli',
      userId,
      text: q.text,
      localeHint: q.lang,
      direct: true,
      ...(q.now ? { now: new Date(q.now) } : {}),
    });
    ms.push(performance.now() - t);
    if (reply.form) {
      forms++;
      await runtime.store.visits.dropDraft(`cli:${userId}`);
    }
  }
  await runtime.close();
  return [
    {
      system: 'koban: whole turn (Assistant.handle)',
      knowledge: 'shipped',
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      ...quality(outcomes),
      note: `${turns} turns (${forms} opened the visit form, then dropped); first pass over the ${set.length} questions p50 ${percentile(first, 50).toFixed(3)} / p99 ${percentile(first, 99).toFixed(3)} ms; build = load + index, no cache`,
    },
  ];
}

export async function baselineShipped(turns: number): Promise<Row[]> {
  const set = faqOnly(readQuestionSet(DEV_SET));
  const kb = shipped();
  const t0 = performance.now();
  const baseline = new BaselineSearch(kb);
  const buildMs = performance.now() - t0;
  const outcomes = set.map((q) => simpleOutcome(q, baseline.search(q.text)[0]));
  const ms = await latency(set, turns, (q) => baseline.search(q.text));
  return [
    {
      system: 'naive lunr baseline (one English index)',
      knowledge: 'shipped',
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      ...quality(outcomes),
      note: `${turns} searches; search only`,
    },
  ];
}

interface NlpResult {
  intent: string;
  score: number;
}
interface NlpManagerLike {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<NlpResult>;
}

/** nlp.js trained on the same phrasings koban learns from: each entry's questions and title, and the off-topic examples. */
async function trainNlpjs(
  kb: KnowledgeBase,
): Promise<{ manager: NlpManagerLike; version: string; buildMs: number }> {
  const require = createRequire(import.meta.url);
  // node-nlp has no types; this is the part of its API used here.
  const { NlpManager } = require('node-nlp') as {
    NlpManager: new (options: object) => NlpManagerLike;
  };
  const version = (require('node-nlp/package.json') as { version: string }).version;
  const t0 = performance.now();
  const manager = new NlpManager({
    languages: [...LANGUAGES],
    nlu: { log: false },
    autoSave: false,
    autoLoad: false,
  });
  for (const entry of kb.entries.values()) {
    for (const lang of LANGUAGES) {
      const t = entry.translations[lang];
      if (!t) continue;
      for (const q of [...t.questions, t.title]) manager.addDocument(lang, q, entry.id);
    }
  }
  for (const lang of LANGUAGES)
    for (const text of kb.offTopic[lang] ?? []) manager.addDocument(lang, text, 'None');
  await manager.train();
  return { manager, version, buildMs: performance.now() - t0 };
}

export async function nlpjsShipped(turns: number): Promise<Row[]> {
  const set = faqOnly(readQuestionSet(DEV_SET));
  const { manager, version, buildMs } = await trainNlpjs(shipped());
  const answer = (r: NlpResult): string | undefined => (r.intent === 'None' ? undefined : r.intent);
  const outcomes: Outcome[] = [];
  for (const q of set) outcomes.push(simpleOutcome(q, answer(await manager.process(q.lang, q.text))));
  const ms = await latency(set, turns, (q) => manager.process(q.lang as Lang, q.text));
  return [
    {
      system: `nlp.js (node-nlp ${version}, process())`,
      knowledge: 'shipped',
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      ...quality(outcomes),
      note: `${turns} turns; trained on the same phrasings and off-topic examples`,
    },
  ];
}

/** Where the resident memory is: the JavaScript heap (used of total) and typed arrays' buffers, MB. */
function heapNote(): string {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1e6);
  return `heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, array buffers ${mb(m.arrayBuffers)} MB`;
}

export async function kobanGenerated(entries: number): Promise<Row[]> {
  // Let go (undefined) before the cache is read back: a restart holds only the cache's copy.
  let kb: KnowledgeBase | undefined;
  let questions: GeneratedQuestion[];
  ({ kb, questions } = generateKb(shipped(), entries));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let engine = buildFaqEngine(kb);
  const buildMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const buildCpuS = ((cpu.user + cpu.system) / 1e6).toFixed(1);
  // The build's worker thread is gone a moment later (a bot starts answering meanwhile); its
  // heap is not part of what the built knowledge keeps.
  await buildWorkersExited();
  const builtRss = Math.round(process.memoryUsage().rss / 1e6);
  const builtHeap = heapNote();
  const search = async (): Promise<{ ms: number[]; top1: number }> => {
    let right = 0;
    const ms = await latency(questions, questions.length, (q) => {
      if (engine.search(q.text, q.lang).answer?.entry.id === q.expect) right++;
    });
    return { ms, top1: right / questions.length };
  };
  const cold = await search();
  // Peak so far: generating, building and searching (the cache round trip below holds a second
  // copy of the indexes while it serialises and reads back, and is reported on its own row).
  const builtPeak = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  // The index cache: what a restart with a fresh cache loads instead of building.
  const cacheDir = mkdtempSync(join(tmpdir(), 'koban-bench-cache-'));
  const t1 = performance.now();
  writeIndexCache(cacheDir, 'bench', { knowledge: kb, indexes: engine.snapshots() });
  const writeMs = performance.now() - t1;
  // A restart has no built index, nor a second knowledge base, beside the one it loads: let them go
  // first, and collect (with the build's garbage now small, V8 kept the built index's arrays past
  // the read below: 1.6 GB resident where a restart holds 0.9 GB at most). Measured at 20,000
  // entries, the resident memory after this GC is still what it was after the build (727 MB): part
  // of the built engine or knowledge is still held by something not found yet.
  engine = new FaqEngine({ ...kb, entries: new Map() });
  kb = undefined;
  (globalThis as { gc?: () => void }).gc?.();
  const bytes = statSync(join(cacheDir, readdirSync(cacheDir)[0] ?? '')).size;
  const t2 = performance.now();
  const cached = readIndexCache(cacheDir, 'bench');
  if (!cached) throw new Error('the index cache written just now did not read back');
  engine = new FaqEngine(cached.knowledge, cached.indexes);
  // Each language's index is deserialised on first use: restore them all inside the timing.
  engine.restoreAll();
  const loadMs = performance.now() - t2;
  const warm = await search();
  const restoredAlone = restoreInFreshProcess(cacheDir, 'bench');
  rmSync(cacheDir, { recursive: true, force: true });
  const knowledge = `generated, ${entries} x 8 languages`;
  const classifier =
    entries > TUNING.classifierMaxEntries
      ? `no classifier (over ${TUNING.classifierMaxEntries} entries)`
      : 'with classifier';
  return [
    {
      system: 'koban: FAQ search (FaqEngine.search), index built',
      knowledge,
      buildMs,
      p50Ms: percentile(cold.ms, 50),
      p99Ms: percentile(cold.ms, 99),
      top1: cold.top1,
      rssMb: builtRss,
      peakRssMb: builtPeak,
      note: `${questions.length} generated questions, each once; ${classifier}; build = all 8 indexes (CPU ${buildCpuS} s); RSS right after the build (${builtHeap}; MALLOC_MMAP_THRESHOLD_ ${process.env.MALLOC_MMAP_THRESHOLD_ ?? 'unset'}); peak RSS of generating, building and searching`,
    },
    {
      system: 'koban: FAQ search, index from cache',
      knowledge,
      buildMs: loadMs,
      p50Ms: percentile(warm.ms, 50),
      p99Ms: percentile(warm.ms, 99),
      top1: warm.top1,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      note: `build = read + restore; the built index and the generated knowledge let go and a full GC run before the read (${heapNote()}); cache file ${Math.round(bytes / 1e6)} MB, written in ${Math.round(writeMs)} ms`,
    },
    {
      system: 'koban: index from cache, restored alone in a fresh process',
      knowledge,
      buildMs: restoredAlone.ms,
      rssMb: restoredAlone.rssMb,
      peakRssMb: restoredAlone.peakRssMb,
      note: `bench/restore-rss.ts (same node and environment): read + restore of every language, RSS right after; ${restoredAlone.rssAfterGcMb} MB after a full GC (heap ${restoredAlone.heapMb} MB, array buffers ${restoredAlone.arrayBuffersMb} MB)`,
    },
  ];
}

/** bench/restore-rss.ts on the cache in a process of its own: what a restart with that cache holds. */
function restoreInFreshProcess(
  cacheDir: string,
  key: string,
): {
  ms: number;
  rssMb: number;
  rssAfterGcMb: number;
  heapMb: number;
  arrayBuffersMb: number;
  peakRssMb: number;
} {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', join(ROOT, 'bench', 'restore-rss.ts'), cacheDir, key],
    { cwd: ROOT, encoding: 'utf8', env: process.env },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    process.stderr.write(`bench/restore-rss.ts failed:\n${r.stderr}\n`);
    return {
      ms: Number.NaN,
      rssMb: Number.NaN,
      rssAfterGcMb: Number.NaN,
      heapMb: Number.NaN,
      arrayBuffersMb: Number.NaN,
      peakRssMb: Number.NaN,
    };
  }
}

/**
 * nlp.js trains one network per language with an output per entry: beyond this many it is not run
 * (300 x 8 languages took 18 minutes to train at load average 18, 1.15 GB peak; top-1 0.908).
 */
export const NLPJS_MAX_ENTRIES = 300;

export async function nlpjsGenerated(entries: number): Promise<Row[]> {
  const knowledge = `generated, ${entries} x 8 languages`;
  if (entries > NLPJS_MAX_ENTRIES) {
    return [
      {
        system: 'nlp.js (node-nlp, process())',
        knowledge,
        note: `not run: over ${NLPJS_MAX_ENTRIES} entries its training takes too long for the bench (see README)`,
      },
    ];
  }
  const { kb, questions } = generateKb(shipped(), entries);
  const { manager, version, buildMs } = await trainNlpjs(kb);
  let right = 0;
  const ms = await latency(questions, questions.length, async (q) => {
    const r = await manager.process(q.lang, q.text);
    if (r.intent === q.expect) right++;
  });
  return [
    {
      system: `nlp.js (node-nlp ${version}, process())`,
      knowledge,
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      top1: right / questions.length,
      note: `${questions.length} generated questions, each once; trained on every entry's questions and title`,
    },
  ];
}

export async function baselineGenerated(entries: number): Promise<Row[]> {
  const { kb, questions } = generateKb(shipped(), entries);
  const t0 = performance.now();
  const baseline = new BaselineSearch(kb);
  const buildMs = performance.now() - t0;
  let right = 0;
  const ms = await latency(questions, questions.length, (q) => {
    if (baseline.search(q.text)[0] === q.expect) right++;
  });
  return [
    {
      system: 'naive lunr baseline (one English index)',
      knowledge: `generated, ${entries} x 8 languages`,
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      top1: right / questions.length,
      note: `${questions.length} generated questions; search only`,
    },
  ];
}
