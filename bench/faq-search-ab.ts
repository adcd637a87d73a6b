/**
 * Before/after CPU of the FAQ search alone (`FaqEngine.search`, every language pass it makes) of two
 * checkouts in one process, on the development questions in their own language:
 *
 *   git archive <base-commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/
 *   node --import tsx bench/faq-search-ab.ts --a /tmp/base --b . --rounds 20
 *
 * Each side builds its runtime and searches every question once (untimed); then `--rounds` rounds
 * of one search per question, A then B, then B then A…, each side's round timed with
 * process.cpuUsage. Prints each side's CPU per search (mean, lowest and median round) and the median
 * of the rounds' B/A ratios (steadier than the means on a loaded machine).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Runtime } from '../src/main.js';
import { devQuestions, openCheckout } from './ab-checkout.js';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '20' },
  },
});

interface Side {
  runtime: Runtime;
  data: string;
  rounds: number[];
}

async function open(root: string): Promise<Side> {
  return { ...(await openCheckout(root)), rounds: [] };
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  if (!args.a) throw new Error('--a DIR (the checkout to compare against) is required');
  const rootB = resolve(args.b ?? '.');
  const set = await devQuestions(rootB);
  const sides = [await open(resolve(args.a)), await open(rootB)] as [Side, Side];
  try {
    const pass = (side: Side): void => {
      const faq = side.runtime.knowledge.faq;
      for (const q of set) faq.search(q.text, q.lang);
    };
    for (const side of sides) pass(side);
    const rounds = Number(args.rounds);
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? sides : [sides[1], sides[0]]) {
        const c0 = process.cpuUsage();
        pass(side);
        const d = process.cpuUsage(c0);
        side.rounds.push((d.user + d.system) / 1000 / set.length);
      }
    }
    const summary = (side: Side) => ({
      msPerSearch: +(side.rounds.reduce((s, x) => s + x, 0) / rounds).toFixed(4),
      lowest: +Math.min(...side.rounds).toFixed(4),
      median: +median(side.rounds).toFixed(4),
    });
    const ratios = sides[0].rounds.map((a, i) => (sides[1].rounds[i] ?? Number.NaN) / a);
    console.log(
      JSON.stringify({
        searches: set.length,
        rounds,
        a: summary(sides[0]),
        b: summary(sides[1]),
        ratioMedianOfRounds: +median(ratios).toFixed(3),
      }),
    );
  } finally {
    for (const side of sides) {
      await side.runtime.close();
      rmSync(side.data, { recursive: true, force: true });
    }
  }
}

await main();
