/**
 * How `npm start` runs the bot (package.json's `start` script): the environment it sets (glibc
 * malloc's settings) and the node flags it passes, so every bench process that stands for the bot
 * runs it the same way, from the one place that defines it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const pkg = z
  .object({ scripts: z.object({ start: z.string() }) })
  .parse(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')));

/** `NAME=value ... node --flag ... bin/koban.js start`, split into its assignments and node flags. */
export function parseStartScript(script: string): { env: Record<string, string>; nodeFlags: string[] } {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(words[i] as string);
    if (!m) break;
    env[m[1] as string] = m[2] as string;
  }
  if (words[i] !== 'node') throw new Error(`npm start does not run node: ${script}`);
  const nodeFlags: string[] = [];
  for (i++; i < words.length && (words[i] as string).startsWith('-'); i++) nodeFlags.push(words[i] as string);
  return { env, nodeFlags };
}

export const NPM_START = parseStartScript(pkg.scripts.start);
