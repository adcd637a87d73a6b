/**
 * Before/after CPU of the SLOWEST turns (the p99 of `bench/turn-cpu.ts`) of two checkouts in one
 * process, as `bench/turn-cpu-ab.ts` does for the whole mix:
 *
 *   git archive <base-commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/
 *   node --import tsx bench/slow-turns-ab.ts --a /tmp/base --b . --slowest 120 --loops 10
 *
 * Each side builds its runtime and takes two passes over the development questions (known users,
 * five per language, as the bench's steady state); the `--slowest` questions of the highest CPU on
 * side A (each one's lowest of the two passes) are then asked `--loops` times on each side,
 * alternately in blocks of one loop (A B B A…). Prints each side's CPU per turn over those
 * questions, and the per-question CPU p50 and max of each side (each question's lowest over the loops).
 * `--prof FILE` writes a CPU profile of side B's first loop.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Runtime } from '../src/main.js';
import { devQuestions, openCheckout } from './ab-checkout.js';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    slowest: { type: 'string', default: '120' },
    loops: { type: 'string', default: '10' },
    prof: { type: 'string' },
  },
});

interface Question {
  text: string;
  lang: string;
  now?: string | undefined;
}

interface Side {
  runtime: Runtime;
  data: string;
  cpu: number;
  /** Each chosen question's lowest CPU over the loops. */
  best: number[];
}

async function open(root: string): Promise<Side> {
  return { ...(await openCheckout(root)), cpu: 0, best: [] };
}

async function ask(side: Side, q: Question, i: number): Promise<number> {
  const userId = `bench-${q.lang}-${i % 5}`;
  const c0 = process.cpuUsage();
  const reply = await side.runtime.assistant.handle({
    platform: 'cli',
    userId,
    text: q.text,
    localeHint: q.lang as 'en',
    direct: true,
    ...(q.now ? { now: new Date(q.now) } : {}),
  });
  const d = process.cpuUsage(c0);
  if (reply.form) await side.runtime.store.visits.dropDraft(`cli:${userId}`);
  return (d.user + d.system) / 1000;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!args.a) throw new Error('--a DIR (the checkout to compare against) is required');
  const rootB = resolve(args.b ?? '.');
  const set: Question[] = await devQuestions(rootB);
  const sides = [await open(resolve(args.a)), await open(rootB)] as [Side, Side];
  try {
    const cost: number[] = [];
    for (const [s, side] of sides.entries()) {
      for (let pass = 0; pass < 3; pass++) {
        for (const [i, q] of set.entries()) {
          const ms = await ask(side, q, i);
          if (s === 0 && pass > 0) cost[i] = Math.min(cost[i] ?? Infinity, ms);
        }
        await side.runtime.assistant.flush();
      }
    }
    const chosen = [...cost.keys()]
      .sort((x, y) => (cost[y] ?? 0) - (cost[x] ?? 0))
      .slice(0, Number(args.slowest));
    const inspector = args.prof ? new Inspector() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    }
    for (let loop = 0; loop < Number(args.loops); loop++) {
      const order = loop % 2 === 0 ? sides : ([sides[1], sides[0]] as const);
      for (const side of order) {
        const profiled = inspector && side === sides[1] && loop === 0;
        if (profiled) await inspector.post('Profiler.start');
        for (const [k, i] of chosen.entries()) {
          const ms = await ask(side, set[i] as Question, i);
          side.cpu += ms;
          side.best[k] = Math.min(side.best[k] ?? Infinity, ms);
        }
        await side.runtime.assistant.flush();
        if (profiled && args.prof) {
          const { profile } = await inspector.post('Profiler.stop');
          writeFileSync(args.prof, JSON.stringify(profile));
        }
      }
    }
    const turns = chosen.length * Number(args.loops);
    const summary = (side: Side) => ({
      cpuMsPerTurn: +(side.cpu / turns).toFixed(3),
      p50: +percentile(side.best, 50).toFixed(3),
      max: +Math.max(...side.best).toFixed(3),
    });
    console.log(
      JSON.stringify({
        questions: chosen.length,
        loops: Number(args.loops),
        a: summary(sides[0]),
        b: summary(sides[1]),
        ratio: +(sides[1].cpu / sides[0].cpu).toFixed(3),
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
