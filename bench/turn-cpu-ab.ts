/**
 * Before/after CPU per turn of two checkouts of this repository in ONE process, interleaved in
 * small blocks, so that other processes on the machine slow both alike (separate runs minutes
 * apart on a shared machine differ by more than most changes do):
 *
 *   git archive <base-commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/
 *   node --import tsx bench/turn-cpu-ab.ts --a /tmp/base --b . --passes 3
 *
 * Each checkout's `src/main.ts` builds its own runtime (fresh data dir); both take the first pass
 * over the development questions (untimed), then `--passes` passes of the bench's steady state
 * (known users, five per language; a visit form a message opened is dropped) in blocks of
 * `--block` turns, A then B then B then A…, each block timed with process.cpuUsage and ended with
 * the runtime's after-turn work flushed. Prints each side's CPU per turn and the median of the
 * blocks' B/A ratios.
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
    passes: { type: 'string', default: '3' },
    block: { type: 'string', default: '100' },
  },
});

interface Question {
  text: string;
  lang: string;
  now?: string | undefined;
  course?: string | undefined;
}

interface Side {
  name: string;
  runtime: Runtime;
  data: string;
  cpu: number;
}

async function open(name: string, root: string): Promise<Side> {
  return { name, ...(await openCheckout(root)), cpu: 0 };
}

function ask(side: Side, q: Question, userId: string) {
  return side.runtime.assistant.handle({
    platform: 'cli',
    userId,
    text: q.text,
    localeHint: q.lang as 'en',
    direct: true,
    ...(q.now ? { now: new Date(q.now) } : {}),
  });
}

async function main(): Promise<void> {
  if (!args.a) throw new Error('--a DIR (the checkout to compare against) is required');
  const rootA = resolve(args.a);
  const rootB = resolve(args.b ?? '.');
  const set: Question[] = await devQuestions(rootB);
  const sides = [await open('a', rootA), await open('b', rootB)];
  try {
    for (const side of sides) {
      for (const [i, q] of set.entries()) {
        if (q.course) await side.runtime.store.updateUser(`cli:eval-${i}`, { course: q.course });
        await ask(side, q, `eval-${i}`);
      }
      await side.runtime.assistant.flush();
    }
    const turns = Number(args.passes) * set.length;
    const block = Number(args.block);
    const ratios: number[] = [];
    for (let start = 0, n = 0; start < turns; start += block, n++) {
      const end = Math.min(turns, start + block);
      const order = n % 2 === 0 ? sides : [...sides].reverse();
      const spent = new Map<Side, number>();
      for (const side of order) {
        const c0 = process.cpuUsage();
        for (let i = start; i < end; i++) {
          const q = set[i % set.length] as Question;
          const userId = `bench-${q.lang}-${i % 5}`;
          const reply = await ask(side, q, userId);
          if (reply.form) await side.runtime.store.visits.dropDraft(`cli:${userId}`);
        }
        await side.runtime.assistant.flush();
        const d = process.cpuUsage(c0);
        const ms = (d.user + d.system) / 1000;
        side.cpu += ms;
        spent.set(side, ms);
      }
      const [a, b] = sides as [Side, Side];
      ratios.push((spent.get(b) ?? 0) / (spent.get(a) ?? 1));
    }
    ratios.sort((x, y) => x - y);
    const [a, b] = sides as [Side, Side];
    console.log(
      JSON.stringify({
        turns,
        a: { root: rootA, cpuMsPerTurn: +(a.cpu / turns).toFixed(4) },
        b: { root: rootB, cpuMsPerTurn: +(b.cpu / turns).toFixed(4) },
        ratioTotal: +(b.cpu / a.cpu).toFixed(3),
        ratioMedianOfBlocks: +(ratios[Math.floor(ratios.length / 2)] ?? Number.NaN).toFixed(3),
        blocks: ratios.length,
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
