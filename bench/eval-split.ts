/**
 * The development set's eval figures per writer split (issue 14's TUNE / CHECK method):
 *   npm run -s koban -- eval --json > /tmp/e.json && node --import tsx bench/eval-split.ts /tmp/e.json
 * TUNE = the older files, w7a, w7b, w8 and w10's odd lines; CHECK w9 = *w9*; CHECK w10-even =
 * w10's even lines; follow-ups-w11's odd lines are TUNE w11-odd and its even lines CHECK w11-even
 * (issue 14 round 2); the other *w11* files = w11 (a later writer); *w13a* and *w13b* = w13 (session 13's
 * two writers, added after that session's tuning). Per split: conversation, follow-ups, schedule,
 * FAQ top-1, out-of-scope refused and in-scope refused, counted from `eval --json`'s failures.
 */
import { readFileSync } from 'node:fs';
import { isIntentQuestion, isOutOfScope, readQuestionSet } from '../src/eval/question-set.js';

const [jsonPath, setPath = 'test/dev-set'] = process.argv.slice(2);
if (!jsonPath) throw new Error('usage: eval-split.ts EVAL_JSON [SET]');
const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
  failures: Array<{ source: string; got: string }>;
};
const failed = new Map(report.failures.map((f) => [f.source, f.got]));

function split(source: string): string {
  const m = /^(.*):(\d+)$/.exec(source);
  const file = m?.[1] ?? source;
  const line = Number(m?.[2] ?? 0);
  if (/follow-ups-w11/.test(file)) return line % 2 === 0 ? 'CHECK w11-even' : 'TUNE w11-odd';
  if (/w11/.test(file)) return 'w11';
  if (/w13[ab]/.test(file)) return 'w13';
  if (/w9/.test(file)) return 'CHECK w9';
  if (/w10/.test(file)) return line % 2 === 0 ? 'CHECK w10-even' : 'TUNE';
  return 'TUNE';
}

type Row = Record<string, [number, number]>;
const rows = new Map<string, Row>();
const add = (s: string, k: string, ok: boolean) => {
  const row = rows.get(s) ?? {};
  const cell = row[k] ?? [0, 0];
  cell[0] += ok ? 1 : 0;
  cell[1] += 1;
  row[k] = cell;
  rows.set(s, row);
};
for (const q of readQuestionSet(setPath)) {
  const s = split(q.source);
  const got = failed.get(q.source);
  const ok = got === undefined;
  if (q.followUp) add(s, 'follow-ups', ok);
  else if (q.conversation) add(s, 'conversation', ok);
  else if (q.sessions !== undefined) add(s, 'schedule', ok);
  else if (isIntentQuestion(q)) add(s, 'intent', ok);
  else if (isOutOfScope(q)) add(s, 'oos refused', ok);
  else {
    add(s, 'top-1', ok);
    add(s, 'in-scope refused (lower is better)', got?.startsWith('fallback') ?? false);
  }
}
for (const [s, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  const cells = Object.entries(row)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, [r, n]]) => `${k} ${r}/${n}`);
  console.log(`${s}: ${cells.join(', ')}`);
}
