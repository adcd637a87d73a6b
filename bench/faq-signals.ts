/** Diagnostic: per FAQ item of the dev set, the parts of the FAQ confidence (TSV). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OFF_TOPIC } from '../src/engines/knowledge/entry-classifier.js';
import { FaqEngine, SCORING } from '../src/engines/knowledge/faq-engine.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { isIntentQuestion, isOutOfScope, readQuestionSet } from '../src/eval/question-set.js';

const ROOT = join(import.meta.dirname, '..');
const DEV = join(ROOT, 'test', 'dev-set');
const extra = process.argv[2] || undefined;
Object.assign(SCORING, JSON.parse(process.env.SCORING_JSON ?? '{}'));
const { knowledge } = loadKnowledge(join(ROOT, 'knowledge'));
if (!knowledge) throw new Error('kb');
const engine = new FaqEngine(knowledge);
// biome-ignore lint: diagnostic
const proto = FaqEngine.prototype as any;
const rank = proto.rank;
let last: unknown[] = [];
proto.rank = function (...a: unknown[]) {
  last = a;
  return rank.apply(this, a);
};
function split(source: string): string {
  const m = /^(.*):(\d+)$/.exec(source);
  const file = m?.[1] ?? source;
  const line = Number(m?.[2] ?? 0);
  if (/w11/.test(file)) return 'CHECK';
  if (/w9/.test(file)) return 'CHECK';
  if (/w10/.test(file)) return line % 2 === 0 ? 'CHECK' : 'TUNE';
  return 'TUNE';
}
const files = extra
  ? [extra]
  : readdirSync(DEV)
      .filter((f) => f.startsWith('faq-') && f.endsWith('.jsonl'))
      .map((f) => join(DEV, f));
console.log(
  [
    'split',
    'kind',
    'lang',
    'ok',
    'got',
    'conf',
    'bestLex',
    'pFirst',
    'offTopic',
    'nearOff',
    'nearEntry',
    'errand',
    'cov',
    'text',
    'source',
  ].join('\t'),
);
for (const f of files) {
  for (const q of readQuestionSet(f)) {
    if (q.followUp || q.conversation || q.sessions !== undefined || isIntentQuestion(q)) continue;
    const r = engine.search(q.text, q.lang as never);
    // biome-ignore lint: diagnostic
    const [, lexical, assessment] = last as [string, Map<string, any>, any];
    const top = r.answer ?? r.suggestions[0];
    const bestLex = Math.max(0, ...[...lexical.values()].map((l) => l.confidence));
    const oos = isOutOfScope(q);
    const got = r.answer?.entry.id ?? 'fallback';
    const ok = oos ? got === 'fallback' : q.expect.includes(got);
    const topId = r.answer?.entry.id ?? r.suggestions[0]?.entry.id ?? '';
    const pFirst = assessment.probabilities.get(topId) ?? 0;
    const cov = lexical.get(topId)?.coverage ?? 0;
    console.log(
      [
        extra ? 'X' : split(q.source),
        oos ? 'oos' : 'in',
        q.lang,
        ok ? 1 : 0,
        r.answer ? got : `fallback:${topId}`,
        r.confidence,
        bestLex.toFixed(3),
        pFirst.toFixed(3),
        (assessment.probabilities.get(OFF_TOPIC) ?? 0).toFixed(3),
        assessment.nearest.offTopic.toFixed(3),
        assessment.nearest.entry.toFixed(3),
        assessment.errand.toFixed(3),
        cov.toFixed(3),
        q.text.replace(/\t|\n/g, ' '),
        q.source.replace(/.*\//, ''),
      ].join('\t'),
    );
    void top;
  }
}
