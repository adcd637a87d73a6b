/**
 * Writes `vendor/tinyld-ours.cjs`: tinyld's normal profile with its n-gram data cut down to our
 * eight languages (and two speed-ups, `SPEED_UPS`). The detector only ever asks tinyld about those (`only`), and tinyld skips every
 * other language's n-grams then, so its answers are the same (checked on the development and
 * held-out questions in test/assistant/tinyld-restrict.test.ts), while loading it costs about a
 * fifth of the CPU time and memory (its data for 60-odd languages was 40-50 MB of the bot's memory).
 *
 *   node --import tsx src/assistant/tinyld-restrict.ts    regenerate after a tinyld upgrade
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { LANGUAGES } from '../core/languages.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

const require = createRequire(import.meta.url);

/** Where the bot loads it from (the repository root's `vendor/`). */
export const RESTRICTED_TINYLD = join(PACKAGE_ROOT, 'vendor', 'tinyld-ours.cjs');

export class TinyldLayoutError extends Error {
  readonly code = 'TINYLD_LAYOUT';
}

/** The end of the object literal that starts at `start` (strings may hold braces). */
function literalEnd(source: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  throw new TinyldLayoutError('tinyld: unterminated data literal');
}

interface TinyldData {
  id: string;
  uniques: Record<string, string | number>;
  /** Per n-gram, 4-character chunks: 2 base-36 digits of language index, 2 of score. */
  multiples: Record<string, string>;
}

/**
 * tinyld's bundle `source` with the n-gram data of `langs` only. Throws TinyldLayoutError when the
 * bundle is not laid out as tinyld 1.3 is (an upgrade changed it: look again before regenerating).
 */
export function restrictTinyld(source: string, langs: readonly string[]): string {
  const dataAt = source.indexOf('var X={');
  const marker = 'var v=X,';
  if (dataAt < 0 || !source.includes(marker))
    throw new TinyldLayoutError('tinyld: data layout not recognised');
  const end = literalEnd(source, dataAt + 'var X='.length);
  const data = runInThisContext(`(${source.slice(dataAt + 'var X='.length, end)})`) as TinyldData;
  // The language index (C) and the ISO 639-3 to 639-1 mapping (N) are the bundle's own.
  const probe: { exports: Record<string, unknown> } = { exports: {} };
  const wrapped = runInThisContext(
    `(function (exports, require, module) {${source.replace(marker, `module.exports.__lang=(i)=>N(C[parseInt(i,36)]);${marker}`)}\n})`,
  ) as (exports: unknown, req: unknown, module: unknown) => void;
  wrapped(probe.exports, require, probe);
  const langOf = probe.exports.__lang as (index: string) => string;
  const keep = new Set(langs);
  const ours = (index: string): boolean => keep.has(langOf(index));
  const restricted: TinyldData = {
    id: data.id,
    uniques: Object.fromEntries(Object.entries(data.uniques).filter(([, v]) => ours(String(v)))),
    multiples: Object.fromEntries(
      Object.entries(data.multiples)
        .map(([gram, chunks]) => [
          gram,
          (chunks.match(/.{1,4}/g) ?? []).filter((c) => ours(c.slice(0, 2))).join(''),
        ])
        .filter(([, chunks]) => chunks !== ''),
    ),
  };
  return faster(`${source.slice(0, dataAt)}var X=${JSON.stringify(restricted)}${source.slice(end)}`);
}

/** How many words' n-gram scores the detector remembers (`WORD_PASS`), per list of languages asked about. */
export const TINYLD_WORD_MEMO = 20_000;

/**
 * Two changes to tinyld's code that keep every answer (the same arithmetic in the same order; checked
 * equal to the whole of tinyld in test/assistant/tinyld-restrict.test.ts), each `[from, to]`:
 *
 * - its n-grams of a word (`p`) are slices of the padded text: one slice per position instead of
 *   an array of characters joined again (a window with two spaces running, or only white space,
 *   is no n-gram, as before);
 * - its per-word scores (`detectPotentialGrams`, `t0`), which depend only on the word and the
 *   languages asked about, are remembered for the last `TINYLD_WORD_MEMO` words (chat reuses a
 *   small vocabulary; the analyzers remember each word's term the same way). Not with `verbose`.
 */
const SPEED_UPS: ReadonlyArray<readonly [string, string]> = [
  [
    'function p(a,e,n=!0){let o=[],t=n?" ".repeat(e-1)+a+" ".repeat(e-1):a;for(let B=0;B<t.length-(e-1);B++){let r=[],s=0;for(let i=0;i<e;i++)t[B+i]===" "?s+=1:s=0,!(s>1)&&r.push(t[B+i]);let O=r.join("");O.trim().length>0&&O.length===e&&o.push(O)}return o}',
    'function p(a,e,n=!0){let o=[],t=n?" ".repeat(e-1)+a+" ".repeat(e-1):a;for(let B=0;B<t.length-(e-1);B++){let O=t.slice(B,B+e);O.indexOf("  ")<0&&O.trim().length>0&&o.push(O)}return o}',
  ],
  ['for(let d of D)t0(d,n,e)', 'for(let d of D)wordScores(d,n,e)'],
  [
    'function t0(a,e,n){',
    `var wordMemo=new Map;function wordScores(a,e,n){if(n.verbose)return t0(a,e,n);let key=n.only.join(",")+"\\u0000"+a,found=wordMemo.get(key);return found||(wordMemo.size>=${TINYLD_WORD_MEMO}&&wordMemo.clear(),found=t0(a,e,n),wordMemo.set(key,found)),found}function t0(a,e,n){`,
  ],
];

function faster(source: string): string {
  let out = source;
  for (const [from, to] of SPEED_UPS) {
    if (out.split(from).length !== 2) throw new TinyldLayoutError('tinyld: code layout not recognised');
    out = out.replace(from, () => to);
  }
  return out;
}

/** The file's text: a header naming its origin and licence, then the restricted bundle. */
export function restrictedTinyldFile(): string {
  const main = require.resolve('tinyld');
  const pkg = JSON.parse(readFileSync(join(main, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return `// Generated by src/assistant/tinyld-restrict.ts from tinyld ${pkg.version} (MIT License, Copyright (c) 2021 Komodo): its normal profile with the n-gram data of ${LANGUAGES.join(' ')} only, with two speed-ups that keep its answers. Do not edit.\n${restrictTinyld(readFileSync(main, 'utf8'), LANGUAGES)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(RESTRICTED_TINYLD, restrictedTinyldFile());
  process.stdout.write(`written ${RESTRICTED_TINYLD}\n`);
}
