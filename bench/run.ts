/**
 * `npm run bench`: language detection on short chat messages, index build time, and answer
 * latency, measured on the development question set. Timing targets live here, not in tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detect } from 'tinyld';
import { detectLanguage } from '../src/assistant/language-detection.js';
import { loadConfig } from '../src/config.js';
import { LANGUAGES } from '../src/core/languages.js';
import { FaqEngine } from '../src/engines/knowledge/faq-engine.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { percentile } from '../src/eval/metrics.js';
import { readQuestionSet } from '../src/eval/question-set.js';
import { createRuntime } from '../src/main.js';

const set = readQuestionSet(process.argv[2] ?? 'test/dev-set');
const short = set.filter((q) => q.text.split(/\s+/).length <= 12);

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

console.log(`# koban-assistant benchmark (${new Date().toISOString()}, node ${process.version})\n`);
console.log(`## Language detection: ${short.length} development questions of at most 12 words\n`);
console.log('| detector | right | confident | right when confident | p50 per call |');
console.log('|---|---|---|---|---|');
for (const [name, fn] of [
  ['koban detector (scripts + tinyld + function words)', (t: string) => detectLanguage(t)],
  [
    'tinyld 1.3.4 alone, restricted to our languages',
    (t: string) => ({ lang: detect(t, { only: [...LANGUAGES] }) || undefined, confident: true }),
  ],
] as const) {
  let right = 0;
  let confident = 0;
  let rightConfident = 0;
  const ms: number[] = [];
  for (const q of short) {
    const [d, t] = time(() => fn(q.text));
    ms.push(t);
    if (d.lang === q.lang) right++;
    if (d.confident) {
      confident++;
      if (d.lang === q.lang) rightConfident++;
    }
  }
  console.log(
    `| ${name} | ${right}/${short.length} | ${confident} | ${rightConfident}/${confident} | ${(percentile(ms, 50) * 1000).toFixed(0)} µs |`,
  );
}

const [kb, loadMs] = time(() => loadKnowledge('knowledge').knowledge);
if (!kb) throw new Error('knowledge base has errors: run `npm run koban -- kb validate`');
const [engine, buildMs] = time(() => new FaqEngine(kb));
console.log(`\n## FAQ engine: ${kb.entries.size} entries x ${LANGUAGES.length} languages\n`);
console.log(
  `load and validate: ${loadMs.toFixed(0)} ms; build 8 lunr indexes and classifiers: ${buildMs.toFixed(0)} ms\n`,
);
console.log('| language | questions | search p50 | search p99 |');
console.log('|---|---|---|---|');
const faqSet = set.filter((q) => !q.sessions);
for (const lang of LANGUAGES) {
  const qs = faqSet.filter((q) => q.lang === lang);
  const ms = qs.map((q) => time(() => engine.search(q.text, q.lang))[1]);
  console.log(
    `| ${lang} | ${qs.length} | ${percentile(ms, 50).toFixed(2)} ms | ${percentile(ms, 99).toFixed(2)} ms |`,
  );
}

const data = mkdtempSync(join(tmpdir(), 'koban-bench-'));
const runtime = await createRuntime(loadConfig({ KOBAN_DATA_DIR: data }));
const turns: number[] = [];
for (const [i, q] of set.entries()) {
  const t0 = performance.now();
  await runtime.assistant.handle({
    platform: 'cli',
    userId: `bench-${i}`,
    text: q.text,
    localeHint: q.lang,
    direct: true,
    ...(q.now ? { now: new Date(q.now) } : {}),
  });
  turns.push(performance.now() - t0);
}
await runtime.close();
console.log(
  `\n## Whole turn (assistant.handle: detection, routing, search, SQLite), ${set.length} questions\n`,
);
console.log(
  `p50 ${percentile(turns, 50).toFixed(2)} ms, p99 ${percentile(turns, 99).toFixed(2)} ms, max ${Math.max(...turns).toFixed(2)} ms`,
);
console.log(`resident memory after the run: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
