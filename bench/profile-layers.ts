/**
 * Where the bot's CPU went under load, by layer: reads a V8 CPU profile written by
 * `npm run bench:e2e -- --profile DIR` and sums self time from the first message answered
 * (the first sample inside the intake's `admitted`) to the end, idle left out.
 *
 *   node --import tsx bench/profile-layers.ts DIR/CPU.*.cpuprofile [--messages N] [--top 25]
 *
 * With `--messages` (the answered messages of the run) each layer is also given per message.
 * Samples are wall-clock: on a loaded machine a layer's share is steadier than its milliseconds.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type ProfileNode = z.infer<typeof profileSchema>['nodes'][number];

/** The layer of a frame: first match wins. */
const LAYERS: [string, RegExp][] = [
  ['GC', /^\(garbage collector\)/],
  ['Slack: Bolt + Socket Mode (ws)', /node_modules\/(@slack\/(bolt|socket-mode)|ws|eventemitter3|finity)\//],
  [
    'Slack: Web API client',
    /node_modules\/(@slack\/(web-api|logger|types)|p-queue|p-retry|retry)\/|keep-alive-fetch/,
  ],
  [
    'Discord: discord.js + REST + gateway',
    /node_modules\/(discord\.js|@discordjs|@sapphire|@vladfrangu|magic-bytes)/,
  ],
  [
    'HTTP / sockets (node, undici)',
    /undici|node:(_http|http|https|net|tls|internal\/(streams|stream_base|webstreams|http|net|tls))|^writev|^read /,
  ],
  [
    'SQLite (better-sqlite3 + Kysely)',
    /node_modules\/(kysely|better-sqlite3)\/|stores\/(sqlite-statements|hot-query)/,
  ],
  ['stores (koban)', /\/(src|dist)\/stores\//],
  ['intake, limits, adapters (koban)', /\/(src|dist)\/(limits|adapters)\/|rate-limiter-flexible/],
  ['i18next', /node_modules\/i18next/],
  ['zod', /node_modules\/zod/],
  ['pino (logging)', /node_modules\/(pino|sonic-boom|thread-stream)/],
  [
    'assistant + engines (the turn)',
    /\/(src|dist)\/(assistant|engines|core|i18n)\/|node_modules\/(lunr|lunr-languages|@nlpjs|tinyld|luxon)/,
  ],
];

function layerOf(node: ProfileNode): string {
  const key = `${node.callFrame.functionName} ${node.callFrame.url}`;
  for (const [name, re] of LAYERS) if (re.test(key) || re.test(node.callFrame.url)) return name;
  if (node.callFrame.functionName === '(program)') return '(program: V8 outside JS)';
  if (/^JSON\.|^(parse|stringify)$/.test(node.callFrame.functionName)) return 'JSON';
  if (node.callFrame.url === '') return `native: ${node.callFrame.functionName || '?'}`;
  return 'other (node internals: events, timers, promises)';
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { messages: { type: 'string' }, top: { type: 'string' } },
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

const layers = new Map<string, number>();
const functions = new Map<string, number>();
let started = false;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] as number;
  started ||= inside(id, 'admitted');
  const node = byId.get(id);
  if (!started || !node || node.callFrame.functionName === '(idle)') continue;
  const us = profile.timeDeltas[i + 1] ?? 0;
  total += us;
  const layer = layerOf(node);
  layers.set(layer, (layers.get(layer) ?? 0) + us);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/(src|dist)\//, '')}:${node.callFrame.lineNumber + 1}`;
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
console.log('\nself time by function:');
console.log(show(functions, Number(values.top ?? 25)));
