/**
 * The two sides of an in-process A/B bench (`turn-cpu-ab.ts`, `slow-turns-ab.ts`,
 * `faq-search-ab.ts`): a runtime made by another checkout's own code (its `src/`, loaded through
 * tsx) and knowledge on a fresh data folder, and the development questions as that checkout reads them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Question } from '../src/eval/question-set.js';
import type { Runtime } from '../src/main.js';

export interface CheckoutRuntime {
  runtime: Runtime;
  /** The fresh data folder (remove it when done). */
  data: string;
}

/** A runtime of the checkout at `root`, on a new data folder. */
export async function openCheckout(root: string): Promise<CheckoutRuntime> {
  const main = (await import(join(root, 'src', 'main.ts'))) as typeof import('../src/main.js');
  const config = (await import(join(root, 'src', 'config.ts'))) as typeof import('../src/config.js');
  const data = mkdtempSync(join(tmpdir(), 'koban-ab-'));
  // Each side reads its own knowledge folder (a change may add a field the other's loader refuses).
  const runtime = await main.createRuntime(
    config.loadConfig({ KOBAN_DATA_DIR: data, KOBAN_KNOWLEDGE: join(root, 'knowledge') }),
  );
  return { runtime, data };
}

/** The development questions, read by the checkout at `root`. */
export async function devQuestions(root: string): Promise<Question[]> {
  const qs = (await import(
    join(root, 'src', 'eval', 'question-set.ts')
  )) as typeof import('../src/eval/question-set.js');
  return qs.readQuestionSet(join(root, 'test', 'dev-set'));
}
