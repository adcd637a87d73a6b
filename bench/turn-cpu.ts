/**
 * CPU time of a turn in the steady state of `npm run bench`'s koban-shipped part, which other
 * processes on the machine inflate less than wall time: a fresh runtime, the first pass over the
 * development questions (untimed), then `--passes` passes over the set by known users (five per
 * language; a visit form a message opened is dropped, untimed).
 *
 *   node --import tsx bench/turn-cpu.ts --passes 3
 *   node --import tsx bench/turn-cpu.ts --prof /tmp/turns.cpuprofile   # a CPU profile of the loop only
 *
 * Prints CPU (user + system) per turn over the loop, the per-turn CPU p50/p99 (process.cpuUsage
 * around each turn), the lowest and median CPU per turn of the passes,
 * and wall p50/p99; `--slowest N` lists the N messages of the highest CPU (each one's lowest over the passes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { percentile } from '../src/eval/metrics.js';
import { type Question, readQuestionSet } from '../src/eval/question-set.js';
import { createRuntime } from '../src/main.js';

const ROOT = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    passes: { type: 'string', default: '3' },
    slowest: { type: 'string', default: '0' },
    prof: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const set = readQuestionSet(join(ROOT, 'test', 'dev-set'));
  const data = mkdtempSync(join(tmpdir(), 'koban-turn-cpu-'));
  const runtime = await createRuntime(loadConfig({ KOBAN_DATA_DIR: data }));
  try {
    for (const [i, q] of set.entries()) {
      if (q.course) await runtime.store.updateUser(`cli:eval-${i}`, { course: q.course });
      await runtime.assistant.handle({
        platform: 'cli',
        userId: `eval-${i}`,
        text: q.text,
        localeHint: q.lang,
        direct: true,
        ...(q.now ? { now: new Date(q.now) } : {}),
      });
    }
    // The untimed pass's after-reply writes are its own: finished before the loop is timed.
    await runtime.assistant.flush();
    const turns = Number(args.passes) * set.length;
    const session = args.prof ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    const cpu: number[] = [];
    const wall: number[] = [];
    // CPU per turn of each pass over the set (the same messages each time): other processes slow
    // some passes (caches, memory bandwidth), so the lowest says more than the total.
    const perRound = set.length;
    const roundCpu: number[] = [];
    /** Each question's lowest CPU over the passes. */
    const byQuestion: number[] = [];
    let r0 = process.cpuUsage();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < turns; i++) {
      const q = set[i % set.length] as Question;
      const userId = `bench-${q.lang}-${i % 5}`;
      const ct = process.cpuUsage();
      const t = performance.now();
      const reply = await runtime.assistant.handle({
        platform: 'cli',
        userId,
        text: q.text,
        localeHint: q.lang,
        direct: true,
        ...(q.now ? { now: new Date(q.now) } : {}),
      });
      wall.push(performance.now() - t);
      const d = process.cpuUsage(ct);
      cpu.push((d.user + d.system) / 1000);
      byQuestion[i % set.length] = Math.min(
        byQuestion[i % set.length] ?? Infinity,
        (d.user + d.system) / 1000,
      );
      if (reply.form) await runtime.store.visits.dropDraft(`cli:${userId}`);
      if ((i + 1) % perRound === 0 || i === turns - 1) {
        const d = process.cpuUsage(r0);
        roundCpu.push((d.user + d.system) / 1000 / perRound);
        r0 = process.cpuUsage();
      }
    }
    const total = process.cpuUsage(c0);
    const wallTotal = performance.now() - w0;
    if (session && args.prof) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(args.prof, JSON.stringify(profile));
      session.disconnect();
    }
    const perTurn = (total.user + total.system) / 1000 / turns;
    console.log(
      JSON.stringify({
        turns,
        cpuMsPerTurn: +perTurn.toFixed(4),
        roundMin: +Math.min(...roundCpu).toFixed(4),
        roundMedian: +percentile(roundCpu, 50).toFixed(4),
        cpuP50: +percentile(cpu, 50).toFixed(3),
        cpuP99: +percentile(cpu, 99).toFixed(3),
        wallP50: +percentile(wall, 50).toFixed(3),
        wallP99: +percentile(wall, 99).toFixed(3),
        wallMsPerTurn: +(wallTotal / turns).toFixed(4),
      }),
    );
    const slowest = Number(args.slowest);
    if (slowest > 0) {
      const order = [...byQuestion.keys()].sort((a, b) => (byQuestion[b] ?? 0) - (byQuestion[a] ?? 0));
      for (const i of order.slice(0, slowest)) {
        const q = set[i] as Question;
        console.log(
          `${(byQuestion[i] ?? 0).toFixed(2)} ms\t${q.lang}\t${q.source.replace(/^.*\//, '')}\t${q.text.slice(0, 100)}`,
        );
      }
    }
  } finally {
    await runtime.close();
    rmSync(data, { recursive: true, force: true });
  }
}

await main();
