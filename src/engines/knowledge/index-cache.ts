/**
 * The index cache: the validated knowledge base and every language's analysed terms, compiled lunr
 * index, classifier weights and typo index, saved after a build and loaded at the next start
 * instead of parsing, validating, analysing and training again. Each language's index is
 * serialised on its own inside the file and deserialised when first asked for, so a question
 * restores only the indexes it searches. A
 * cache file is named by a hash of the knowledge folder's files and of this engine's own code, so
 * any change to either is a miss (a rebuild), never a stale answer. Files are written atomically;
 * one that cannot be read or does not have the expected shape counts as a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { BUNDLE_DIR } from '../../core/package-root.js';
import type { LanguageIndexSnapshot } from './language-index.js';
import type { KnowledgeBase } from './loader.js';

/** Bump when the snapshot's shape changes in a way the code hash would not show. */
export const CACHE_FORMAT = 6;
const PREFIX = 'faq-index-';
/** Cache files kept (the newest). */
const KEEP = 3;

/** Every file under `dir`, sorted, as paths relative to `dir`. */
function filesUnder(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, root));
    else if (entry.isFile()) out.push(relative(root, path));
  }
  return out.sort();
}

/**
 * This engine's own source (or compiled) files: a change to the code is a change to the index. In
 * the bundle (one file for all the code) that is the whole bundle.
 */
const ENGINE_DIR = BUNDLE_DIR ?? dirname(fileURLToPath(import.meta.url));

/** The cache key: knowledge files (names and contents), the engine's code and the cache format. */
export function knowledgeHash(knowledgeDir: string): string {
  const hash = createHash('sha256').update(`format ${CACHE_FORMAT}\n`);
  for (const [label, dir] of [
    ['engine', ENGINE_DIR],
    ['knowledge', knowledgeDir],
  ] as const) {
    for (const file of filesUnder(dir)) {
      hash
        .update(`${label}/${file}\n`)
        .update(readFileSync(join(dir, file)))
        .update('\n');
    }
  }
  return hash.digest('hex').slice(0, 32);
}

// Shape checks only (instanceof, Array.isArray): zod's element-by-element array parsing would
// cost more than the load it guards. The contents are our own, written by writeIndexCache.
const strings = z.custom<string[]>((v) => Array.isArray(v));
const postingLists = z.object({
  table: strings,
  extra: strings,
  offsets: z.instanceof(Int32Array),
  values: z.instanceof(Int32Array),
});
const snapshotSchema = z.object({
  size: z.number().int().nonnegative(),
  synonyms: z.instanceof(Map),
  glossary: z.instanceof(Map),
  terms: z.object({
    terms: strings,
    df: z.instanceof(Int32Array),
    offsets: z.instanceof(Int32Array),
    codes: z.instanceof(Int32Array),
  }),
  classifier: z.object({
    labels: strings,
    featureIds: z.instanceof(Map),
    weights: z.instanceof(Float32Array),
    bias: z.instanceof(Float32Array),
  }),
  errands: z.object({
    labels: strings,
    featureIds: z.instanceof(Map),
    weights: z.instanceof(Float32Array),
    bias: z.instanceof(Float32Array),
  }),
  exampleWeights: z.instanceof(Float64Array),
  exampleOffTopic: z.instanceof(Uint8Array),
  examplesByTerm: postingLists,
  typos: z.object({
    words: z.instanceof(Int32Array),
    byDeletion: z.object({
      hashes: z.instanceof(Int32Array),
      ids: z.instanceof(Int32Array),
    }),
  }),
  scorer: z.object({
    fieldCount: z.number().int().positive(),
    refs: strings,
    terms: strings,
    termIndex: z.instanceof(Int32Array),
    offsets: z.instanceof(Int32Array),
    docs: z.union([z.instanceof(Int32Array), z.instanceof(Uint16Array)]),
    weights: z.union([
      z.instanceof(Int32Array),
      z.object({
        counts: z.union([z.instanceof(Uint8Array), z.instanceof(Int32Array)]),
        idf: z.instanceof(Float64Array),
        norms: z.instanceof(Float64Array),
        boosts: z.instanceof(Float64Array),
      }),
    ]),
  }),
});
const fileSchema = z.object({
  format: z.literal(CACHE_FORMAT),
  hash: z.string(),
  knowledge: z.object({ entries: z.instanceof(Map), center: z.object({}).loose() }).loose(),
  // Each language's snapshot, v8-serialised on its own (read by restoreSnapshot on first use).
  indexes: z.array(z.tuple([z.enum(LANGUAGES), z.instanceof(Uint8Array)])),
});

/** What the cache holds: the validated knowledge base and every language's index. */
export interface CachedIndexes {
  knowledge: KnowledgeBase;
  indexes: ReadonlyMap<Lang, LanguageIndexSnapshot>;
}

/**
 * One language's saved index, deserialised and shape-checked when called (once: the caller keeps
 * the result); undefined when its bytes are damaged, and the caller builds that index instead.
 */
export type SnapshotSource = () => LanguageIndexSnapshot | undefined;

/** What a read gives: the knowledge base now, each language's index on demand. */
export interface RestoredIndexes {
  knowledge: KnowledgeBase;
  indexes: Map<Lang, SnapshotSource>;
}

/**
 * Replaces every typed array in a deserialised object (nested plain objects only) by a copy of its
 * own: deserialised typed arrays are views into the bytes they came from, which would otherwise
 * stay in memory as long as the index lives (the strings in them, already made into objects, too:
 * about twice the arrays at 20,000 entries).
 */
function ownArrays(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return (value as Uint8Array).slice();
  if (typeof value !== 'object' || value === null || value instanceof Map || Array.isArray(value))
    return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = ownArrays(record[key]);
  return value;
}

function restoreSnapshot(bytes: Uint8Array): LanguageIndexSnapshot | undefined {
  try {
    const parsed = snapshotSchema.safeParse(ownArrays(deserialize(bytes)));
    // The shape is checked; the contents are our own, written by writeIndexCache.
    return parsed.success ? (parsed.data as unknown as LanguageIndexSnapshot) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A SnapshotSource that lets go of the serialised bytes once restored: whoever keeps the map of
 * sources (the caller of readIndexCache) would otherwise keep a second copy of every index.
 */
function restoreOnce(bytes: Uint8Array): SnapshotSource {
  let held: Uint8Array | undefined = bytes;
  return () => {
    const saved = held;
    held = undefined;
    return saved ? restoreSnapshot(saved) : undefined;
  };
}

function cachePath(cacheDir: string, hash: string): string {
  return join(cacheDir, `${PREFIX}${hash}.v8`);
}

/**
 * The saved knowledge and indexes for `hash`, or undefined when there are none (or they cannot be
 * read). The indexes are deserialised when first asked for.
 */
export function readIndexCache(cacheDir: string, hash: string): RestoredIndexes | undefined {
  let raw: unknown;
  try {
    raw = deserialize(readFileSync(cachePath(cacheDir, hash)));
  } catch {
    return undefined;
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success || parsed.data.hash !== hash) return undefined;
  // The shape is checked above; the contents are our own, written by writeIndexCache.
  return {
    knowledge: parsed.data.knowledge as unknown as KnowledgeBase,
    indexes: new Map(parsed.data.indexes.map(([lang, bytes]) => [lang, restoreOnce(bytes)])),
  };
}

/** Saves the knowledge and indexes for `hash` (atomically) and removes all but the newest files. */
export function writeIndexCache(cacheDir: string, hash: string, cached: CachedIndexes): void {
  mkdirSync(cacheDir, { recursive: true });
  const path = cachePath(cacheDir, hash);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    serialize({
      format: CACHE_FORMAT,
      hash,
      knowledge: cached.knowledge,
      indexes: [...cached.indexes].map(([lang, snapshot]) => [lang, serialize(snapshot)]),
    }),
  );
  renameSync(tmp, path);
  // Keep the newest few (a compiled and a development build of the engine have different hashes).
  const older = readdirSync(cacheDir)
    .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
    .map((name) => join(cacheDir, name))
    .filter((file) => file !== path)
    .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of older.slice(KEEP - 1)) rmSync(file, { force: true });
}
