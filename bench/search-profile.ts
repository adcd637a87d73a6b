/**
 * The FAQ search alone on a generated knowledge base, for profiling and before/after comparisons:
 * `node --import tsx bench/search-profile.ts ENTRIES CACHE_DIR [OUT.json] [ROUNDS]`. The index is
 * built once and kept in CACHE_DIR (the index cache); later runs restore it. ENTRIES 0: the shipped
 * knowledge and the development questions instead. Prints p50/p99, top-1 and CPU per search;
 * OUT.json gets each question's answer and confidence (to compare two runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaqEngine } from '../src/engines/knowledge/faq-engine.js';
import { knowledgeHash, readIndexCache, writeIndexCache } from '../src/engines/knowledge/index-cache.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { percentile } from '../src/eval/metrics.js';
import { readQuestionSet } from '../src/eval/question-set.js';
import { generateKb } from './generate-kb.js';

const [entriesArg = '5000', cacheDir = '/tmp/koban-search-profile', out, roundsArg = '1'] =
  process.argv.slice(2);
const entries = Number(entriesArg);
const shipped = loadKnowledge(join(import.meta.dirname, '..', 'knowledge')).knowledge;
if (!shipped) throw new Error('the shipped knowledge base has errors');
const { kb, questions } =
  entries > 0
    ? generateKb(shipped, entries)
    : {
        kb: shipped,
        questions: readQuestionSet(join(import.meta.dirname, '..', 'test', 'dev-set')).map((q) => ({
          text: q.text,
          lang: q.lang,
          expect: q.expect[0],
        })),
      };
const key =
  entries > 0
    ? `generated-${entries}`
    : `shipped-${knowledgeHash(join(import.meta.dirname, '..', 'knowledge'))}`;
mkdirSync(cacheDir, { recursive: true });
const t0 = performance.now();
const cached = readIndexCache(cacheDir, key);
let engine: FaqEngine;
if (cached) {
  engine = new FaqEngine(cached.knowledge, cached.indexes);
  engine.restoreAll();
} else {
  engine = new FaqEngine(kb);
  writeIndexCache(cacheDir, key, { knowledge: kb, indexes: engine.snapshots() });
}
// Loaded: read and restored from the cache, or built (and saved); RSS then, in MB.
const loadMs = Math.round(performance.now() - t0);
const loadedRssMb = Math.round(process.memoryUsage().rss / 1e6);
const ms: number[] = [];
const answers: Array<[string, number]> = [];
let right = 0;
const cpu0 = process.cpuUsage();
for (let round = 0; round < Number(roundsArg); round++) {
  for (const q of questions) {
    const t0 = performance.now();
    const result = engine.search(q.text, q.lang);
    ms.push(performance.now() - t0);
    if (round > 0) continue;
    answers.push([result.answer?.entry.id ?? '-', result.confidence]);
    if (result.answer?.entry.id === q.expect) right++;
  }
}
const cpu = process.cpuUsage(cpu0);
const searches = ms.length;
console.log(
  JSON.stringify({
    entries,
    from: cached ? 'cache' : 'build',
    loadMs,
    loadedRssMb,
    peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
    // After the searches (the load's garbage, such as the file's bytes, collected by then or not).
    searchedRssMb: Math.round(process.memoryUsage().rss / 1e6),
    searches,
    p50: percentile(ms, 50).toFixed(3),
    p99: percentile(ms, 99).toFixed(3),
    top1: (right / questions.length).toFixed(4),
    cpuMsPerSearch: ((cpu.user + cpu.system) / 1000 / searches).toFixed(3),
  }),
);
if (out) writeFileSync(out, JSON.stringify(answers));
