/**
 * The bot's CPU by layer from `perf` samples: CPU time, not wall time, so a loaded machine (other
 * processes taking turns on the cores) does not bend the shares the way it bends a V8 CPU profile's
 * wall-clock samples (a syscall return is where the scheduler switches, so socket writes and SQLite
 * calls look heavier there than they are). Every thread is sampled: the main thread (the event loop)
 * is reported apart from the others (V8's concurrent GC and compilers, libuv, the checkpoint worker).
 *
 *   KOBAN_E2E_BOT_NODE_OPTIONS=--perf-basic-prof \
 *     perf record -e cpu-clock -F 499 -g -o /tmp/e2e.perf -- node --import tsx bench/e2e.ts --seconds 20
 *   node --import tsx bench/perf-map-compact.ts /tmp/perf-BOTPID.map   (names of collected code out)
 *   perf script -i /tmp/e2e.perf -F pid,tid,time,period,ip,sym > /tmp/e2e.txt
 *   node --import tsx bench/perf-layers.ts /tmp/e2e.txt --messages 4600 [--pid PID] [--top 30] [--frames 8]
 *
 * The bot is the process whose stacks hold the intake's `admitted` (or `--pid`); samples count from
 * its first `admitted` on (the priming's first answer) to the end. `--messages` (the bench's
 * answered messages after the priming, warm-up included: measured + 600 at 200/s) gives ms per
 * message. JavaScript frames are named by node's `--perf-basic-prof` map (function and source URL),
 * bundle frames mapped back to their sources; native frames by symbol. "Self" is the layer of the
 * sampled frame; "attributed" is the nearest named layer up the stack (V8 builtins, the runtime,
 * libc, the kernel and node's own JavaScript count for the layer that called them); `--frames N`
 * lists, for each of the busiest layers, the N frames that work was attributed to.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { namedLayer, sourceOf } from './layers.js';

interface Sample {
  pid: number;
  tid: number;
  time: number;
  /** CPU nanoseconds this sample stands for. */
  period: number;
  /** Symbols, the sampled frame first. */
  frames: string[];
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  let current: Sample | undefined;
  for (const line of text.split('\n')) {
    const head = /^\s*\S*?\s*(\d+)\/(\d+)\s+([\d.]+):\s+(\d+)/.exec(line);
    if (head) {
      current = {
        pid: Number(head[1]),
        tid: Number(head[2]),
        time: Number(head[3]),
        period: Number(head[4]),
        frames: [],
      };
      samples.push(current);
      continue;
    }
    const frame = /^\s+[0-9a-f]+\s+(.*)$/.exec(line);
    if (frame && current) current.frames.push(frame[1] ?? '');
  }
  return samples;
}

/** A JavaScript frame of the perf map: `JS:*name url:line:col` (`*` optimised, `~`/`^` not yet). */
const JS_FRAME = /^JS:[*~^+]?(.*?)\s*(\S+):(\d+):(\d+)$/;

const frameLayers = new Map<string, { layer: string; named: boolean; fn: string }>();
/** A frame's layer, whether that layer says who the work was for (named), and a readable name. */
function frameLayer(sym: string): { layer: string; named: boolean; fn: string } {
  let out = frameLayers.get(sym);
  if (out) return out;
  const js = JS_FRAME.exec(sym);
  if (js) {
    const [, name = '', url = '', line = '1', col = '1'] = js;
    const src = sourceOf(url, Number(line) - 1, Number(col) - 1);
    const fn = `${name || '(anonymous)'} ${src.url.replace(/.*node_modules\//, '').replace(/.*\/(src|dist)\//, '')}:${src.line}`;
    const layer = namedLayer(name, src.url);
    out = layer ? { layer, named: true, fn } : { layer: 'node internals (JavaScript)', named: false, fn };
  } else if (
    /Heap::|Scavenge|MarkCompact|ConcurrentMarking|Sweeper|IncrementalMarking|GCTracer|MemoryAllocator|Evacuat/.test(
      sym,
    )
  ) {
    out = { layer: 'GC', named: true, fn: sym };
  } else if (/compiler::|Compiler|Compile|Parser|Maglev|baseline::|Turbofan|Pipeline/.test(sym)) {
    out = { layer: 'V8: compiling (JIT, lazy parse)', named: true, fn: sym };
  } else if (/^sqlite3|better_sqlite3|^Statement::|^Database::/.test(sym)) {
    out = { layer: 'SQLite (better-sqlite3 + Kysely)', named: true, fn: sym };
  } else if (/^Builtins_|^v8::|^Builtin_|^Runtime_/.test(sym)) {
    out = { layer: 'V8 builtins and runtime', named: false, fn: sym };
  } else if (/^uv_|^uv__|^node::/.test(sym)) {
    out = { layer: 'node and libuv (native)', named: false, fn: sym };
  } else if (/^\[unknown\]$/.test(sym)) {
    out = { layer: 'unknown', named: false, fn: sym };
  } else if (/^[a-z_]+$|^__/.test(sym) && !/^[A-Z]/.test(sym)) {
    out = { layer: 'kernel and libc', named: false, fn: sym };
  } else {
    out = { layer: 'other native', named: false, fn: sym };
  }
  frameLayers.set(sym, out);
  return out;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    messages: { type: 'string' },
    pid: { type: 'string' },
    top: { type: 'string' },
    frames: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  console.error('usage: bench/perf-layers.ts PERF-SCRIPT.txt [--messages N] [--pid PID] [--top 30]');
  process.exit(2);
}
const samples = parse(readFileSync(file, 'utf8'));
const isAdmitted = (s: Sample) => s.frames.some((f) => /^JS:[*~^+]?admitted /.test(f));
const pid = values.pid ? Number(values.pid) : samples.find(isAdmitted)?.pid;
if (pid === undefined) {
  console.error('no sample inside `admitted`: pass --pid');
  process.exit(2);
}
const firstAnswer = samples.find((s) => s.pid === pid && isAdmitted(s))?.time ?? 0;
const ours = samples.filter((s) => s.pid === pid && s.time >= firstAnswer);

type Tally = Map<string, number>;
const add = (m: Tally, k: string, ns: number) => m.set(k, (m.get(k) ?? 0) + ns);
const tallies = {
  main: {
    self: new Map() as Tally,
    attributed: new Map() as Tally,
    fns: new Map() as Tally,
    by: new Map<string, Tally>(),
    total: 0,
  },
  other: {
    self: new Map() as Tally,
    attributed: new Map() as Tally,
    fns: new Map() as Tally,
    by: new Map<string, Tally>(),
    total: 0,
  },
};
for (const s of ours) {
  const t = s.tid === pid ? tallies.main : tallies.other;
  t.total += s.period;
  const leaf = frameLayer(s.frames[0] ?? '[unknown]');
  add(t.self, leaf.layer, s.period);
  add(t.fns, leaf.fn, s.period);
  let attributed = leaf.layer;
  let by = leaf.fn;
  for (const f of s.frames) {
    const l = frameLayer(f);
    if (l.named) {
      attributed = l.layer;
      by = l.fn;
      break;
    }
  }
  add(t.attributed, attributed, s.period);
  let frames = t.by.get(attributed);
  if (!frames) {
    frames = new Map();
    t.by.set(attributed, frames);
  }
  add(frames, by, s.period);
}

const messages = values.messages ? Number(values.messages) : undefined;
const show = (m: Tally, of: number, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, ns]) =>
        `${(ns / 1e6).toFixed(0).padStart(7)} ms ${((100 * ns) / of).toFixed(1).padStart(5)} %` +
        `${messages ? ` ${(ns / 1e6 / messages).toFixed(3).padStart(7)} ms/msg` : ''}  ${k}`,
    )
    .join('\n');
for (const [name, t] of Object.entries(tallies)) {
  const label = name === 'main' ? 'main thread (event loop)' : 'other threads';
  console.log(
    `\n== ${label}: ${(t.total / 1e6).toFixed(0)} ms CPU${messages ? `, ${(t.total / 1e6 / messages).toFixed(3)} ms/msg` : ''}`,
  );
  console.log('\nattributed to the nearest named layer up the stack:');
  console.log(show(t.attributed, t.total, 30));
  const perLayer = Number(values.frames ?? 0);
  if (perLayer > 0)
    for (const [layer] of [...t.attributed.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      console.log(`\n  ${layer}: the named frames it was attributed to`);
      console.log(show(t.by.get(layer) ?? new Map(), t.total, perLayer).replace(/^/gm, '  '));
    }
  console.log('\nself, by layer:');
  console.log(show(t.self, t.total, 30));
  console.log('\nself, by function:');
  console.log(show(t.fns, t.total, Number(values.top ?? 30)));
}
