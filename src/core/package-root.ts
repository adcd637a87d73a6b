/**
 * Where this package's files are, the same whether the code runs from `src/` (tsx), from `dist/`
 * (tsc) or from the single-file bundle in `dist/bundle/` (esbuild, `npm run build`), where every
 * module's `import.meta.url` is the bundle's. Paths to `locales/`, `vendor/`, `web/` and the
 * built-in `knowledge/` start here; caches keyed by code use `codeBytes`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The folder holding package.json: the nearest one above this module (src/core, dist/core or dist/bundle). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(HERE);

/** The bundle's folder when running from it (`dist/bundle/`), else undefined. */
export const BUNDLE_DIR: string | undefined =
  basename(HERE) === 'bundle' && basename(dirname(HERE)) === 'dist' ? HERE : undefined;

let bundleDigest: Buffer | undefined;

/**
 * The code a cache depends on: the contents of `file` (a source or tsc-compiled module, named
 * relative to its caller), or, in the bundle, where that file does not exist, a hash of all the
 * bundle's files (any change to the code is then a change to every cache keyed by code).
 */
export function codeBytes(file: URL): Buffer {
  if (!BUNDLE_DIR) return readFileSync(fileURLToPath(file));
  if (!bundleDigest) {
    const hash = createHash('sha256');
    for (const name of readdirSync(BUNDLE_DIR).sort()) {
      hash
        .update(`${name}\n`)
        .update(readFileSync(join(BUNDLE_DIR, name)))
        .update('\n');
    }
    bundleDigest = hash.digest();
  }
  return bundleDigest;
}
