/** `koban eval`: answer quality per language for a question set, next to the naive baseline. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { formatTable } from '../eval/format.js';
import { readQuestionSet } from '../eval/question-set.js';
import { runEval } from '../eval/run-eval.js';
import { checkThresholds, readThresholds } from '../eval/thresholds.js';
import { createRuntime } from '../main.js';

export const DEFAULT_SET = 'test/dev-set';

export interface EvalOptions {
  set?: string | undefined;
  json?: boolean | undefined;
  thresholds?: string | undefined;
  failures?: boolean | undefined;
}

export async function evalCommand(
  config: Config,
  options: EvalOptions,
  out: (s: string) => void,
): Promise<number> {
  const questions = readQuestionSet(options.set ?? DEFAULT_SET);
  // A scratch data folder: evaluation must not touch the bot's real preferences or unanswered log.
  const scratch = mkdtempSync(join(tmpdir(), 'koban-eval-'));
  const runtime = await createRuntime({
    ...config,
    dbPath: join(scratch, 'eval.db'),
    unansweredPath: join(scratch, 'unanswered.jsonl'),
  });
  try {
    const report = await runEval(runtime, questions);
    const problems = options.thresholds ? checkThresholds(report, readThresholds(options.thresholds)) : [];
    if (options.json) out(JSON.stringify({ ...report, problems }, null, 2));
    else {
      out(formatTable(`koban-assistant (${questions.length} questions)`, report.assistant));
      out('');
      out(formatTable('baseline: one English lunr index, default pipeline', report.baseline));
      if (options.failures) {
        out('\nwrong answers:');
        for (const f of report.failures)
          out(
            `  [${f.lang}] ${f.text}\n      expected ${f.expected.join('|')}, got ${f.got}   (${f.source})`,
          );
      }
      if (options.thresholds)
        out(problems.length ? `\nbelow thresholds:\n  ${problems.join('\n  ')}` : '\nall thresholds met');
    }
    return problems.length > 0 ? 1 : 0;
  } finally {
    await runtime.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
