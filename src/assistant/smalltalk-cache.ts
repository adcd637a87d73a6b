/**
 * The small-talk classifier saved beside the index cache (`smalltalk-<key>-<inputs>-<code>.v8`), so
 * a start does not train it again (about 2 s of CPU): the key is the knowledge engine's code
 * (index-cache.ts's engineHash), the inputs a hash of what the classifier is trained on (the
 * small-talk phrasings, the off-topic examples, every entry translation's title and questions: not
 * the answers, so an edited answer keeps the saved classifier), the code a hash of the matcher's
 * own code. A file that cannot be read or has the wrong shape is a miss: the matcher is trained and
 * the file written again.
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
import { LANGUAGES } from '../core/languages.js';
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

/**
 * A hash of what SmalltalkMatcher's classifier is trained on (its constructor reads each language's
 * small-talk phrasings and off-topic examples, and each entry translation's title and questions):
 * the whole small-talk file of each language (more than the classifier reads: also the
 * acknowledgements and cues), its off-topic examples, and the entries' titles and questions.
 */
export function smalltalkInputsHash(kb: Pick<KnowledgeBase, 'smalltalk' | 'entries' | 'offTopic'>): string {
  const hash = createHash('sha256');
  for (const lang of LANGUAGES)
    hash.update(JSON.stringify([lang, kb.smalltalk[lang] ?? null, kb.offTopic[lang] ?? null])).update('\n');
  for (const entry of kb.entries.values()) {
    const read = Object.values(entry.translations).map((t) => [t.lang, t.title, t.questions]);
    hash.update(JSON.stringify([entry.id, read])).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

function matcherFile(
  cacheDir: string,
  key: string,
  kb: Pick<KnowledgeBase, 'smalltalk' | 'entries' | 'offTopic'>,
): string {
  return join(cacheDir, `${PREFIX}${key}-${smalltalkInputsHash(kb)}-${matcherCodeHash()}.v8`);
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
 * Restores the small-talk matcher of `kb` from `cacheDir` when it was saved under `key` (the
 * knowledge engine's code hash) for the same inputs (its classifier read when first needed);
 * otherwise it is trained on first use, as without a cache, and saved then (older files removed).
 * Without a key nothing is read or saved.
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
    file = matcherFile(cacheDir, key, kb);
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
