/**
 * The layers a CPU profile of the bot is summed by (`profile-layers.ts` for V8 CPU profiles,
 * `perf-layers.ts` for `perf` samples), and the mapping of the esbuild bundle's frames back to their
 * sources through the maps `scripts/bundle.mjs` writes to dist/bundle-maps/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The layer of a frame: first match wins. */
export const LAYERS: [string, RegExp][] = [
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

/** Source maps of the bundle's files, by the bundle file's path (undefined: none). */
const maps = new Map<string, SourceMap | undefined>();
function mapOf(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    const file = join(dirname(path), '..', 'bundle-maps', `${basename(path)}.map`);
    maps.set(
      path,
      existsSync(file)
        ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
        : undefined,
    );
  }
  return maps.get(path);
}

/**
 * A frame's source file and 1-based line from its URL and 0-based line and column: a frame in the
 * esbuild bundle (dist/bundle/*.js) is mapped back through its source map.
 */
export function sourceOf(
  url: string,
  lineNumber: number,
  columnNumber: number,
): { url: string; line: number } {
  if (/\/dist\/bundle\/[^/]+\.js$/.test(url)) {
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    const entry = mapOf(path)?.findEntry(lineNumber, columnNumber);
    if (entry && 'originalSource' in entry && entry.originalSource)
      return {
        url: resolve(join(dirname(path), '..', 'bundle-maps'), entry.originalSource),
        line: entry.originalLine + 1,
      };
  }
  return { url, line: lineNumber + 1 };
}

/** The named layer of a JavaScript frame (function name and source URL), or undefined. */
export function namedLayer(functionName: string, url: string): string | undefined {
  const key = `${functionName} ${url}`;
  for (const [name, re] of LAYERS) if (re.test(key) || re.test(url)) return name;
  return undefined;
}
