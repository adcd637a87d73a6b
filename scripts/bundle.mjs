// Bundles the CLI and the index build worker into dist/bundle/ with esbuild (run by `npm run build`
// after tsc): our own modules and the ES-module libraries every command loads (kysely, zod,
// i18next, luxon) become a few files, so a start resolves, reads and compiles a handful of files
// instead of hundreds (Node 20 has no module compile cache). Every other package stays outside the
// bundle and is loaded from node_modules as before (native code, CommonJS, or only some commands').
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
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
// Source maps go beside the bundle, not into it (the bundle's files are hashed as the caches' code
// version at start-up): bench/profile-layers.ts maps a CPU profile's frames back to src/ and
// node_modules/ with them. Node never reads them (no sourceMappingURL comment).
const mapdir = join(dirname(outdir), 'bundle-maps');

rmSync(outdir, { recursive: true, force: true });
rmSync(mapdir, { recursive: true, force: true });
const result = await build({
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
  sourcemap: 'external',
  sourcesContent: false,
  write: false,
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
mkdirSync(mapdir, { recursive: true });
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.map')) writeFileSync(file.path, file.contents);
  else {
    // Sources are named relative to the map: rewrite them relative to the maps' folder.
    const map = JSON.parse(file.text);
    map.sources = map.sources.map((s) => relative(mapdir, join(dirname(file.path), s)));
    writeFileSync(join(mapdir, basename(file.path)), JSON.stringify(map));
  }
}
