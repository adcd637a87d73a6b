/**
 * Where the bot's CPU went under load, by layer: reads a V8 CPU profile written by
 * `npm run bench:e2e -- --profile DIR` and sums self time from the first message answered
 * (the first sample inside the intake's `admitted`) to the end, idle left out.
 *
 *   node --import tsx bench/profile-layers.ts DIR/CPU.*.cpuprofile [--messages N] [--top 25]
 *     [--timeline 500 --until 10]
 *
 * With `--messages` (the answered messages of the run) each layer is also given per message.
 * Frames in the esbuild bundle (dist/bundle/*.js) are mapped back to their source file (src/... or
 * node_modules/...) through the maps `scripts/bundle.mjs` writes to dist/bundle-maps/.
 * Besides self time, each sample is also charged to the nearest frame on its stack that belongs to
 * a named layer ("attributed"): node internals, GC-free native calls and promise plumbing then count
 * for the layer that called them (a socket write for the Slack client or discord.js).
 * `--timeline MS` adds a table per MS of wall time (the first `--until` seconds, default 10, from
 * the first answer): the share of it the thread was busy, the busiest layers, and the outermost
 * koban functions on the stacks (what started the work: a message's `admitted`, a restore after
 * ready, ...).
 * Samples are wall-clock: on a loaded machine a layer's share is steadier than its milliseconds.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LAYERS, namedLayer, sourceOf } from './layers.js';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({
        functionName: z.string(),
        url: z.string(),
        lineNumber: z.number(),
        columnNumber: z.number(),
      }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type ProfileNode = z.infer<typeof profileSchema>['nodes'][number];

const sources = new Map<number, { url: string; line: number }>();
const source = (node: ProfileNode) => {
  let s = sources.get(node.id);
  if (!s) {
    s = sourceOf(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
    sources.set(node.id, s);
  }
  return s;
};

function layerOf(node: ProfileNode): string {
  const named = namedLayer(node.callFrame.functionName, source(node).url);
  if (named) return named;
  if (node.callFrame.functionName === '(program)') return '(program: V8 outside JS)';
  if (/^JSON\.|^(parse|stringify)$/.test(node.callFrame.functionName)) return 'JSON';
  if (node.callFrame.url === '') return `native: ${node.callFrame.functionName || '?'}`;
  return 'other (node internals: events, timers, promises)';
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    messages: { type: 'string' },
    top: { type: 'string' },
    timeline: { type: 'string' },
    until: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  console.error('usage: bench/profile-layers.ts PROFILE.cpuprofile [--messages N] [--top 25]');
  process.exit(2);
}
const profile = profileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inside = (id: number, name: string): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
    if (byId.get(at)?.callFrame.functionName === name) return true;
  return false;
};

/** Layers that say only what ran, not for whom: a sample there is attributed to a caller's layer. */
const plumbing = (layer: string) =>
  layer.startsWith('other') ||
  layer.startsWith('native') ||
  layer.startsWith('(program') ||
  layer === 'HTTP / sockets (node, undici)' ||
  layer === 'JSON';
/** The first named layer from the frame up its stack (the frame's own layer when none is). */
const namedOf = new Map<number, string | null>();
const named = (id: number | undefined): string | null => {
  if (id === undefined) return null;
  let a = namedOf.get(id);
  if (a === undefined) {
    const node = byId.get(id);
    const own = node ? layerOf(node) : 'other';
    a = plumbing(own) ? named(parent.get(id)) : own;
    namedOf.set(id, a);
  }
  return a;
};
const attributed = (id: number, node: ProfileNode): string => named(id) ?? layerOf(node);

/** The outermost koban function (src/) on the sample's stack, or its root-most frame's name. */
const outermostOf = new Map<number, string>();
const outermost = (id: number): string => {
  let o = outermostOf.get(id);
  if (o === undefined) {
    o = '';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) continue;
      const src = source(n);
      if (/\/src\//.test(src.url) && !/node_modules/.test(src.url))
        o = `${n.callFrame.functionName || '(anonymous)'} ${src.url.replace(/.*\/src\//, '')}:${src.line}`;
    }
    o ||= '(no koban frame)';
    outermostOf.set(id, o);
  }
  return o;
};
const timelineMs = values.timeline ? Number(values.timeline) : undefined;
const untilMs = Number(values.until ?? 10) * 1000;
const buckets: { busy: number; layers: Map<string, number>; entries: Map<string, number> }[] = [];
let wall = 0;
let startedAt = 0;

const layers = new Map<string, number>();
const byCaller = new Map<string, number>();
const functions = new Map<string, number>();
let started = false;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] as number;
  const us = profile.timeDeltas[i + 1] ?? 0;
  wall += profile.timeDeltas[i] ?? 0;
  if (!started && inside(id, 'admitted')) {
    started = true;
    startedAt = wall;
  }
  const node = byId.get(id);
  if (!started || !node || node.callFrame.functionName === '(idle)') continue;
  if (timelineMs !== undefined && wall - startedAt < untilMs * 1000) {
    const k = Math.floor((wall - startedAt) / 1000 / timelineMs);
    buckets[k] ??= { busy: 0, layers: new Map(), entries: new Map() };
    const b = buckets[k];
    b.busy += us;
    const l = attributed(id, node);
    b.layers.set(l, (b.layers.get(l) ?? 0) + us);
    const e = outermost(id);
    b.entries.set(e, (b.entries.get(e) ?? 0) + us);
  }
  total += us;
  const layer = layerOf(node);
  layers.set(layer, (layers.get(layer) ?? 0) + us);
  const caller = attributed(id, node);
  byCaller.set(caller, (byCaller.get(caller) ?? 0) + us);
  const at = source(node);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${at.url.replace(/.*node_modules\//, '').replace(/.*\/(src|dist)\//, '')}:${at.line}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const messages = values.messages ? Number(values.messages) : undefined;
const show = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %` +
        `${messages ? ` ${(us / 1000 / messages).toFixed(3).padStart(7)} ms/msg` : ''}  ${k}`,
    )
    .join('\n');
console.log(`busy samples from the first answer on: ${(total / 1000).toFixed(0)} ms`);
console.log('\nself time by layer:');
console.log(show(layers, LAYERS.length + 10));
console.log('\nattributed to the nearest caller in a named layer (node internals, sockets, JSON, natives):');
console.log(show(byCaller, LAYERS.length + 10));
console.log('\nself time by function:');
console.log(show(functions, Number(values.top ?? 25)));
if (timelineMs !== undefined) {
  const top = (m: Map<string, number>, n: number, of: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / of).toFixed(0)}% ${k}`)
      .join('; ');
  console.log(
    `\ntimeline from the first answer (${timelineMs} ms buckets): busy %, layers, outermost koban functions`,
  );
  for (const [k, b] of buckets.entries()) {
    if (!b) continue;
    const of = timelineMs * 1000;
    console.log(
      `${String(k * timelineMs).padStart(6)} ms ${((100 * b.busy) / of).toFixed(0).padStart(3)}% | ${top(b.layers, 3, of)} | ${top(b.entries, 4, of)}`,
    );
  }
}
