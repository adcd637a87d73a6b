/**
 * The small-talk classifier saved beside the index cache (`smalltalk-<key>.v8`), so a start with a
 * fresh cache does not train it again (about 2 s of CPU): the key is the index cache's (knowledge
 * files and engine code) plus a hash of the matcher's own code. A file that cannot be read or has
 * the wrong shape is a miss: the matcher is trained and the file written again.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import { codeBytes } from '../core/package-root.js';
import type { ClassifierState } from '../engines/knowledge/entry-classifier.js';
import type { KnowledgeBase } from '../engines/knowledge/loader.js';
import type { Logger } from '../logger.js';
import { SmalltalkMatcher, useSmalltalkMatcher, whenSmalltalkTrained } from './smalltalk-match.js';

const PREFIX = 'smalltalk-';
/** Files kept (the newest): a compiled and a development build have different code hashes. */
const KEEP = 3;
/** Running from the TypeScript sources (tsx), not dist/. */
const SOURCE = import.meta.url.endsWith('.ts');

const stateSchema = z.object({
  labels: z.custom<string[]>((v) => Array.isArray(v)),
  featureIds: z.instanceof(Map),
  weights: z.instanceof(Float32Array),
  bias: z.instanceof(Float32Array),
});

let codeHash: string | undefined;
/** A hash of the matcher's code (compiled or source), so a change to it is a miss. */
function matcherCodeHash(): string {
  codeHash ??= createHash('sha256')
    .update(codeBytes(new URL(`./smalltalk-match.${SOURCE ? 'ts' : 'js'}`, import.meta.url)))
    .digest('hex')
    .slice(0, 12);
  return codeHash;
}

function matcherFile(cacheDir: string, key: string): string {
  return join(cacheDir, `${PREFIX}${key}-${matcherCodeHash()}.v8`);
}

function read(file: string): ClassifierState | undefined {
  try {
    const parsed = stateSchema.safeParse(deserialize(readFileSync(file)));
    return parsed.success ? (parsed.data as ClassifierState) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Restores the small-talk matcher of `kb` from `cacheDir` when it was saved under `key` (its
 * classifier read when first needed); otherwise it is trained on first use, as without a cache,
 * and saved then (older files removed). Without a key nothing is read or saved.
 */
export function prepareSmalltalk(
  kb: KnowledgeBase,
  cacheDir: string,
  key: string | undefined,
  logger: Logger,
): void {
  if (!key) return;
  let file: string;
  try {
    file = matcherFile(cacheDir, key);
  } catch (err) {
    logger.warn({ err }, 'cannot hash the small-talk matcher; it is trained on first use');
    return;
  }
  whenSmalltalkTrained(kb, (matcher) => save(matcher, file, cacheDir, logger));
  // Read when the classifier is first needed; a file that turns out unreadable means training then.
  if (existsSync(file)) useSmalltalkMatcher(kb, new SmalltalkMatcher(kb, () => read(file)));
}

function save(matcher: SmalltalkMatcher, file: string, cacheDir: string, logger: Logger): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(matcher.state()));
    renameSync(tmp, file);
    const older = readdirSync(cacheDir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
      .map((name) => join(cacheDir, name))
      .filter((path) => path !== file)
      .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { path } of older.slice(KEEP - 1)) rmSync(path, { force: true });
  } catch (err) {
    logger.warn({ err, cacheDir }, 'cannot save the small-talk matcher; the next start trains it again');
  }
}
