/** The measured parts of `npm run bench`, each run in its own process by bench/run.ts. */

import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Lang } from '../src/core/languages.js';
import { LANGUAGES } from '../src/core/languages.js';
import { FaqEngine } from '../src/engines/knowledge/faq-engine.js';
import { TUNING } from '../src/engines/knowledge/language-index.js';
import { type KnowledgeBase, loadKnowledge } from '../src/engines/knowledge/loader.js';
import { BaselineSearch } from '../src/eval/baseline.js';
import { type Outcome, percentile, summarize } from '../src/eval/metrics.js';
import { isIntentQuestion, isOutOfScope, type Question, readQuestionSet } from '../src/eval/question-set.js';
import { score } from '../src/eval/run-eval.js';
import { createRuntime } from '../src/main.js';
import { generateKb } from './generate-kb.js';
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

export async function nlpjsShipped(turns: number): Promise<Row[]> {
  const require = createRequire(import.meta.url);
  // node-nlp has no types; this is the part of its API used here.
  const { NlpManager } = require('node-nlp') as {
    NlpManager: new (options: object) => NlpManagerLike;
  };
  const version = (require('node-nlp/package.json') as { version: string }).version;
  const set = faqOnly(readQuestionSet(DEV_SET));
  const kb = shipped();
  const t0 = performance.now();
  const manager = new NlpManager({
    languages: [...LANGUAGES],
    nlu: { log: false },
    autoSave: false,
    autoLoad: false,
  });
  // The same phrasings koban learns from: each entry's questions and title, and the off-topic examples.
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
  const buildMs = performance.now() - t0;
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

export async function kobanGenerated(entries: number): Promise<Row[]> {
  const { kb, questions } = generateKb(shipped(), entries);
  const t0 = performance.now();
  const engine = new FaqEngine(kb);
  const buildMs = performance.now() - t0;
  let right = 0;
  const ms = await latency(questions, questions.length, (q) => {
    if (engine.search(q.text, q.lang).answer?.entry.id === q.expect) right++;
  });
  return [
    {
      system: 'koban: FAQ search (FaqEngine.search)',
      knowledge: `generated, ${entries} x 8 languages`,
      buildMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      top1: right / questions.length,
      note: `${questions.length} generated questions, each once; ${entries > TUNING.classifierMaxEntries ? `no classifier (over ${TUNING.classifierMaxEntries} entries)` : 'with classifier'}`,
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
