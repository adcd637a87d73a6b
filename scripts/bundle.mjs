// Bundles the CLI and the index build worker into dist/bundle/ with esbuild (run by `npm run build`
// after tsc): our own modules and the ES-module libraries every command loads (kysely, zod,
// i18next, luxon) become a few files, so a start resolves, reads and compiles a handful of files
// instead of hundreds (Node 20 has no module compile cache). Every other package stays outside the
// bundle and is loaded from node_modules as before (native code, CommonJS, or only some commands').
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INSIDE = new Set(['kysely', 'zod', 'i18next', 'luxon']);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !INSIDE.has(name))
  .flatMap((name) => [name, `${name}/*`]);
// Another folder for tests (it must end in dist/bundle and lie inside the package).
const outdir = process.argv[2] ?? join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/cli/main.ts',
    'index-build-worker': 'src/engines/knowledge/index-build-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
