/**
 * The slowest FAQ searches of a generated knowledge base and where their time goes:
 * `node --import tsx bench/slow-searches.ts ENTRIES [ROUNDS] [--profile]`. Times each generated
 * question's FaqEngine.search (the best of ROUNDS), and for the slowest, how much went to assess
 * (classifiers and nearest example) and to each index's search; --profile: a CPU profile of the 20
 * slowest asked 10 times more, self time by function (the inspector's own `dispatch` beside).
 */
import { join } from 'node:path';
import { LanguageIndex } from '../src/engines/knowledge/language-index.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { buildFaqEngine } from '../src/engines/knowledge/parallel-build.js';
import { percentile } from '../src/eval/metrics.js';
import { generateKb } from './generate-kb.js';

const entries = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 3);
const shipped = loadKnowledge(join(import.meta.dirname, '..', 'knowledge')).knowledge;
if (!shipped) throw new Error('the shipped knowledge base has errors');
const { kb, questions } = generateKb(shipped, entries);
const engine = buildFaqEngine(kb);
engine.restoreAll();
let log: Array<[string, number]> | undefined;
const proto = LanguageIndex.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const name of ['assess', 'search']) {
  const original = proto[name] as (...a: unknown[]) => unknown;
  proto[name] = function (this: LanguageIndex, ...a: unknown[]) {
    const t = performance.now();
    const r = original.apply(this, a);
    log?.push([`${name}:${this.lang}`, performance.now() - t]);
    return r;
  };
}
const rows = questions.map((q) => {
  let best = Number.POSITIVE_INFINITY;
  let parts: Array<[string, number]> = [];
  let right = false;
  for (let r = 0; r < rounds; r++) {
    log = [];
    const t = performance.now();
    const result = engine.search(q.text, q.lang);
    const ms = performance.now() - t;
    if (ms < best) {
      best = ms;
      parts = log;
      right = result.answer?.entry.id === q.expect;
    }
  }
  return { q, ms: best, parts, right };
});
const ms = rows.map((r) => r.ms);
console.log(
  `p50 ${percentile(ms, 50).toFixed(2)} p99 ${percentile(ms, 99).toFixed(2)} ms (best of ${rounds})`,
);
const all = rows.filter((r) => r.parts.filter(([n]) => n.startsWith('search')).length > 3);
console.log(
  `searched every language: ${all.length} of ${rows.length}; right ${rows.filter((r) => r.right).length}`,
);
for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
  const parts = r.parts.map(([n, t]) => `${n} ${t.toFixed(1)}`).join(', ');
  console.log(
    `${r.ms.toFixed(1)} ms ${r.q.lang} ${r.right ? 'right' : 'WRONG'} "${r.q.text.slice(0, 60)}" | ${parts}`,
  );
}

// Where the slowest questions' time goes: a CPU profile of them asked again, self time by function.
if (process.argv[4] === '--profile') {
  const { Session } = await import('node:inspector/promises');
  const slow = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 20);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let r = 0; r < 10; r++) for (const { q } of slow) engine.search(q.text, q.lang);
  const { profile } = await session.post('Profiler.stop');
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => {
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
  });
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${((100 * v) / total).toFixed(1)}% ${k}`);
}
