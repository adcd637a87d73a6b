#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through `prepare`, or `npm run build`) when it is at
// least as new as every source file: the esbuild bundle (dist/bundle/), else tsc's dist/;
// otherwise the TypeScript sources through tsx, so an edit is never answered by stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'bundle', 'main.js');
const compiled = join(root, 'dist', 'cli', 'main.js');
const built = existsSync(bundle) ? bundle : compiled;

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestIn(join(root, 'src'))) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
