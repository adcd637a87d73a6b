/**
 * The development set split by writer, for tuning without fooling ourselves: TUNE is the older
 * files, the outside writers w7a, w7b and w8, and w10's odd lines; CHECK is w9, w10's even lines,
 * w11 and w13 (session 13's two writers, w13a and w13b), read as aggregates only. Prints, per
 * split and per language: top-1, in-scope refused, out-of-scope refused, and near-domain refused (the `*near-domain*` files alone).
 *
 *   node --import tsx bench/writer-split.ts                       # the table
 *   node --import tsx bench/writer-split.ts --failures            # also TUNE's wrong FAQ answers
 *   node --import tsx bench/writer-split.ts --scoring '{"errandPenalty":0.6}' --scoring '{}'
 *        # one table per SCORING variant (src/engines/knowledge/faq-engine.ts), each on a fresh runtime
 *
 * Uses `koban eval`'s own code path (runEval on a scratch data folder), so its figures are the
 * ones `npm run -s koban -- eval --set FILE` gives for the same files.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { SCORING } from '../src/engines/knowledge/faq-engine.js';
import type { Metrics } from '../src/eval/metrics.js';
import { isIntentQuestion, isOutOfScope, type Question, readQuestionSet } from '../src/eval/question-set.js';
import { runEval } from '../src/eval/run-eval.js';
import { createRuntime } from '../src/main.js';

const ROOT = join(import.meta.dirname, '..');
const DEV = join(ROOT, 'test', 'dev-set');
const { values: args } = parseArgs({
  options: {
    failures: { type: 'boolean', default: false },
    scoring: { type: 'string', multiple: true },
  },
});

/** The split a development file belongs to, by the writer in its name. */
function splitOf(file: string): string {
  for (const w of ['w9', 'w10', 'w11', 'w13a', 'w13b'])
    if (new RegExp(`(^|-)${w}([-.]|$)`).test(file)) return `CHECK ${w}`;
  return 'TUNE';
}

/** A question's split: its file's, except that w10's odd lines are TUNE (issue 14 round 2, as bench/eval-split.ts). */
function splitOfQuestion(file: string, q: Question): string {
  const name = splitOf(file);
  if (name !== 'CHECK w10') return name;
  const line = Number(/:(\d+)$/.exec(q.source)?.[1] ?? 0);
  return line % 2 === 0 ? 'CHECK w10-even' : 'TUNE';
}

const files = readdirSync(DEV)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
const splits = new Map<string, Question[]>();
for (const f of files) {
  for (const q of readQuestionSet(join(DEV, f))) {
    const name = splitOfQuestion(f, q);
    const list = splits.get(name) ?? [];
    list.push(q);
    splits.set(name, list);
  }
}
const nearDomain = (q: Question): boolean => basename(q.source.replace(/:\d+$/, '')).includes('near-domain');

const pct = (x: number): string => (Number.isNaN(x) ? '   -' : x.toFixed(3).replace(/^0/, ''));
const defaults = { ...SCORING };

/** runEval on a fresh runtime (a scratch data folder): users of an earlier run keep no state. */
async function evaluate(questions: Question[]): Promise<Awaited<ReturnType<typeof runEval>>> {
  const scratch = mkdtempSync(join(tmpdir(), 'koban-split-'));
  const runtime = await createRuntime({
    ...loadConfig(process.env),
    dbPath: join(scratch, 'eval.db'),
    unansweredPath: join(scratch, 'unanswered.jsonl'),
  });
  try {
    return await runEval(runtime, questions);
  } finally {
    await runtime.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

for (const variant of args.scoring ?? ['{}']) {
  Object.assign(SCORING, defaults, JSON.parse(variant) as Partial<typeof SCORING>);
  console.log(`\nSCORING ${variant}`);
  console.log('split      lang   n(in)  top1  inRef | n(oos) oosRef | n(near) nearRef');
  for (const [name, questions] of [...splits.entries()].sort()) {
    const report = await evaluate(questions);
    const near = await evaluate(questions.filter(nearDomain));
    for (const lang of Object.keys(report.assistant)) {
      const m = report.assistant[lang] as Metrics;
      const nm = near.assistant[lang];
      console.log(
        `${name.padEnd(10)} ${lang.padEnd(4)} ${String(m.inScope).padStart(6)}  ${pct(m.top1)}  ${pct(m.inScopeRefused)} | ${String(countOos(questions, lang)).padStart(6)}  ${pct(m.fallbackRecall)} | ${String(nm ? countOos(questions.filter(nearDomain), lang) : 0).padStart(7)}  ${pct(nm?.fallbackRecall ?? Number.NaN)}`,
      );
    }
    if (args.failures && name === 'TUNE')
      for (const f of report.failures)
        console.log(
          `   [${f.lang}] ${f.text}\n      expected ${f.expected.join('|')}, got ${f.got}   (${f.source})`,
        );
  }
}

/** Out-of-scope FAQ items (single turn, neither schedule, intent nor conversation) of a language ("all": every one). */
function countOos(questions: Question[], lang: string): number {
  return questions.filter(
    (q) =>
      (lang === 'all' || q.lang === lang) &&
      !q.followUp &&
      !q.conversation &&
      q.sessions === undefined &&
      !isIntentQuestion(q) &&
      isOutOfScope(q),
  ).length;
}
