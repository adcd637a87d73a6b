/**
 * `npm run bench`: this engine, the naive lunr baseline and nlp.js on the same questions and
 * knowledge, side by side in one table (written to bench/results.json too). Each system runs in its
 * own process, so its memory is its own. Not part of `npm test`: timing targets live here.
 *
 *   npm run bench                       everything (about ten minutes on a quiet 2-core machine)
 *   npm run bench -- --entries 20000    size of the generated knowledge base (default 2000)
 *   npm run bench -- --quick            fewer turns and start-up runs, smaller generated base (300)
 *   npm run bench -- --part NAME        one part only, printed as JSON (used by the table)
 *
 * Parts: koban-shipped, baseline-shipped, nlpjs-shipped, koban-generated, baseline-generated,
 * nlpjs-generated, e2e (bench/e2e.ts: Slack and Discord adapters end to end), startup (`koban ask`
 * and `npm start` to ready, run as child processes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NPM_START } from './npm-start.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    part: { type: 'string' },
    entries: { type: 'string' },
    quick: { type: 'boolean' },
    turns: { type: 'string' },
  },
});
const quick = Boolean(values.quick);
// 20,000 entries (issue 13's size) is run on its own, with --entries 20000 (README "Performance").
const ENTRIES = Number(values.entries ?? (quick ? 300 : 2000));
const TURNS = Number(values.turns ?? (quick ? 2000 : 10_000));
const STARTS = quick ? 1 : 3;

/** One row of the table. */
export interface Row {
  system: string;
  knowledge: string;
  /** Index build / training, or start-up wall time, in ms. */
  buildMs?: number;
  p50Ms?: number;
  p99Ms?: number;
  top1?: number;
  offTopicRefused?: number;
  rssMb?: number;
  /** Peak resident memory of the part's process. */
  peakRssMb?: number;
  note?: string;
}

const rss = (): number => Math.round(process.memoryUsage().rss / 1e6);

async function part(name: string): Promise<Row[]> {
  const parts = await import('./parts.js');
  switch (name) {
    case 'koban-shipped':
      return parts.kobanShipped(TURNS);
    case 'baseline-shipped':
      return parts.baselineShipped(TURNS);
    case 'nlpjs-shipped':
      return parts.nlpjsShipped(TURNS);
    case 'koban-generated':
      return parts.kobanGenerated(ENTRIES);
    case 'baseline-generated':
      return parts.baselineGenerated(ENTRIES);
    case 'nlpjs-generated':
      return parts.nlpjsGenerated(ENTRIES);
    case 'e2e': {
      const { e2eRows } = await import('./e2e.js');
      return e2eRows(quick);
    }
    case 'startup':
      return startupRows();
    default:
      throw new Error(`unknown part ${name}`);
  }
}

/** Runs one part in a fresh process and returns its rows. */
function runPart(name: string): Row[] {
  const r = spawnSync(
    process.execPath,
    // --expose-gc: the koban-generated part collects the built index before reading the cache back.
    [
      '--import',
      'tsx',
      '--expose-gc',
      join(ROOT, 'bench', 'run.ts'),
      '--part',
      name,
      ...process.argv.slice(2),
    ],
    // With the environment `npm start` sets (glibc malloc's settings): each part stands for the bot.
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...NPM_START.env, TZ: 'UTC' },
    },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Row[];
  } catch {
    process.stderr.write(`bench part ${name} failed:\n${r.stderr}\n`);
    return [{ system: name, knowledge: '-', note: 'failed (see stderr)' }];
  }
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** Wall time from spawning `bin/koban.js ask` to its exit (the answer printed). */
function timeAsk(dataDir: string, knowledge = join(ROOT, 'knowledge')): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'koban.js'), 'ask', 'what should I wear on a koban visit'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', KOBAN_DATA_DIR: dataDir, KOBAN_KNOWLEDGE: knowledge, TZ: 'UTC' },
      encoding: 'utf8',
    },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`koban ask failed: ${r.stderr}`);
  return ms;
}

/** Resident memory of process `pid` now, in MB (0 where /proc is not there). */
function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1000);
  } catch {
    return 0;
  }
}

/**
 * Wall time from spawning `bin/koban.js start` (console only) to its ready banner, its RSS then,
 * and its RSS once settled: right after ready the bot still loads language detection, so the
 * settled figure waits at least a second and until two samples 200 ms apart differ by under 1 MB.
 */
function timeStart(
  dataDir: string,
  knowledge: string,
): Promise<{ ms: number; rssMb: number; settledMb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // The node flags and environment `npm start` passes (package.json).
    const child = spawn(process.execPath, [...NPM_START.nodeFlags, join(ROOT, 'bin', 'koban.js'), 'start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...NPM_START.env,
        KOBAN_DATA_DIR: dataDir,
        KOBAN_KNOWLEDGE: knowledge,
        TZ: 'UTC',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    let ready: number | undefined;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!err.includes('koban-assistant is ready')) return;
      if (ready !== undefined) return;
      ready = performance.now() - t0;
      const rssMb = rssOf(child.pid);
      const readyAt = performance.now();
      let last = rssMb;
      const settle = setInterval(() => {
        const now = rssOf(child.pid);
        const done = performance.now() - readyAt >= 1000 && Math.abs(now - last) < 1;
        last = now;
        if (!done && performance.now() - readyAt < 10_000) return;
        clearInterval(settle);
        child.kill('SIGTERM');
        resolve({ ms: ready ?? 0, rssMb, settledMb: now });
      }, 200);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!err.includes('koban-assistant is ready')) reject(new Error(`koban start exited ${code}: ${err}`));
    });
  });
}

async function startupRows(): Promise<Row[]> {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  const compiled = build.status === 0;
  const askCold: number[] = [];
  const askCached: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const data = mkdtempSync(join(tmpdir(), 'koban-bench-'));
    askCold.push(timeAsk(data));
    askCached.push(timeAsk(data));
  }
  const knowledge = mkdtempSync(join(tmpdir(), 'koban-bench-kb-'));
  cpSync(join(ROOT, 'knowledge'), knowledge, { recursive: true });
  const fresh: Array<{ ms: number; rssMb: number; settledMb: number }> = [];
  const stale: Array<{ ms: number; rssMb: number; settledMb: number }> = [];
  for (let i = 0; i < STARTS; i++) {
    const data = mkdtempSync(join(tmpdir(), 'koban-bench-'));
    await timeStart(data, knowledge);
    fresh.push(await timeStart(data, knowledge));
    // An edit to one answer: the cache is stale and start-up rebuilds it.
    const file = join(knowledge, 'faq', 'koban-what-is', 'en.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n<!-- bench edit ${Date.now()} ${i} -->\n`);
    stale.push(await timeStart(data, knowledge));
  }
  const how = compiled ? 'compiled (dist/)' : 'tsx (build failed)';
  const note = `median of ${STARTS}, min ${Math.round(Math.min(...askCached))} ms; ${how}`;
  return [
    {
      system: 'koban ask, no index cache',
      knowledge: 'shipped',
      buildMs: median(askCold),
      note: `median of ${STARTS}`,
    },
    { system: 'koban ask, fresh index cache', knowledge: 'shipped', buildMs: median(askCached), note },
    {
      system: 'npm start to ready, fresh cache',
      knowledge: 'shipped',
      buildMs: median(fresh.map((x) => x.ms)),
      rssMb: median(fresh.map((x) => x.settledMb)),
      note: `median of ${STARTS}, min ${Math.round(Math.min(...fresh.map((x) => x.ms)))} ms; RSS settled after ready (language detection loaded; ${median(fresh.map((x) => x.rssMb))} MB at the ready line)`,
    },
    {
      system: 'npm start to ready, stale cache',
      knowledge: 'shipped',
      buildMs: median(stale.map((x) => x.ms)),
      rssMb: median(stale.map((x) => x.settledMb)),
      note: `median of ${STARTS}; one answer edited; RSS settled after ready`,
    },
  ];
}

const fmt = (x: number | undefined, digits = 2): string => (x === undefined ? '-' : x.toFixed(digits));

function table(rows: Row[]): string {
  const lines = [
    '| system | knowledge | build / start (ms) | turn p50 (ms) | turn p99 (ms) | top-1 | off-topic refused | RSS (MB) | peak RSS (MB) | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.system} | ${r.knowledge} | ${fmt(r.buildMs, 0)} | ${fmt(r.p50Ms, 3)} | ${fmt(r.p99Ms, 3)} | ${fmt(r.top1, 3)} | ${fmt(r.offTopicRefused, 3)} | ${r.rssMb ?? '-'} | ${r.peakRssMb ?? '-'} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

// A part run on its own (`--part`) runs with npm start's environment too: glibc reads its malloc
// settings as the process starts, so without them this process runs itself again with them (and with
// --expose-gc, as runPart gives every part).
if (values.part && Object.entries(NPM_START.env).some(([k, v]) => process.env[k] !== v)) {
  const flags = process.execArgv.includes('--expose-gc')
    ? process.execArgv
    : [...process.execArgv, '--expose-gc'];
  const again = spawnSync(process.execPath, [...flags, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...NPM_START.env },
  });
  process.exit(again.status ?? 1);
}

if (values.part) {
  const rows = await part(values.part);
  const peak = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  // The start-up rows measure child processes: this process's memory says nothing about them.
  if (values.part !== 'startup') {
    for (const r of rows) {
      r.rssMb ??= rss();
      r.peakRssMb ??= peak;
    }
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else {
  const started = new Date();
  const rows: Row[] = [
    ...runPart('koban-shipped'),
    ...runPart('baseline-shipped'),
    ...runPart('nlpjs-shipped'),
    ...(await startupRows()),
    ...runPart('koban-generated'),
    ...runPart('baseline-generated'),
    ...runPart('nlpjs-generated'),
    ...runPart('e2e'),
  ];
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}`;
  console.log(`# koban-assistant benchmark, ${started.toISOString()}\n`);
  console.log(
    `${machine}; ${TURNS} turns per system on the shipped knowledge; generated: ${ENTRIES} entries x 8 languages\n`,
  );
  console.log(table(rows));
  writeFileSync(
    join(ROOT, 'bench', 'results.json'),
    `${JSON.stringify({ at: started.toISOString(), machine, turns: TURNS, generatedEntries: ENTRIES, rows }, null, 2)}\n`,
  );
  console.log('\nwritten to bench/results.json');
}
