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
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
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
/**
 * A cache file: this mark, the header's position and length (two little-endian doubles), each
 * language's snapshot, v8-serialised on its own, then the header (v8-serialised: format, hash,
 * knowledge, and where each language's bytes are). A language's bytes are read from the file when it is first restored,
 * so the file is never in memory whole (it was: a 525 MB buffer at 20,000 entries, alive until a
 * GC after the last restore).
 */
const MAGIC = 'KOBANIX1';
const PREAMBLE = MAGIC.length + 16;
const PREFIX = 'faq-index-';
/** Cache files kept (the newest). */
const KEEP = 3;

/** Writes all of `bytes` at `position`. */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

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
  codes: z.instanceof(Uint16Array),
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
      buckets: z.instanceof(Int32Array),
      low: z.instanceof(Uint16Array),
      ids: z.union([z.instanceof(Uint16Array), z.instanceof(Int32Array)]),
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
const headerSchema = z.object({
  format: z.literal(CACHE_FORMAT),
  hash: z.string(),
  knowledge: z.object({ entries: z.instanceof(Map), center: z.object({}).loose() }).loose(),
  // Where each language's snapshot is, after the header: [language, offset, length] (read by
  // restoreSnapshot on first use).
  indexes: z.array(z.tuple([z.enum(LANGUAGES), z.number().int().nonnegative(), z.number().int().positive()])),
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

/** Closes a cache file whose languages were never all read, once nothing can read it any more. */
const unread = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * The open cache file the pending languages are read from: closed once every language has been
 * read (an open file stays readable when a newer build removes it), or when it is let go unread.
 */
class CacheFile {
  private pending: number;
  constructor(
    private fd: number | undefined,
    languages: number,
  ) {
    this.pending = languages;
    if (fd !== undefined) unread.register(this, fd, this);
  }

  /** `length` bytes at `position`, or undefined when they cannot be read; the last read closes the file. */
  read(position: number, length: number): Uint8Array | undefined {
    try {
      if (this.fd === undefined) return undefined;
      const bytes = Buffer.allocUnsafe(length);
      return readSync(this.fd, bytes, 0, length, position) === length ? bytes : undefined;
    } catch {
      return undefined;
    } finally {
      this.pending--;
      if (this.pending <= 0) this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    unread.unregister(this);
    try {
      closeSync(this.fd);
    } catch {
      // Nothing left to read from it either way.
    }
    this.fd = undefined;
  }
}

/** A SnapshotSource reading its language's bytes from the file when called (once). */
function restoreOnce(file: CacheFile, position: number, length: number): SnapshotSource {
  let done = false;
  return () => {
    if (done) return undefined;
    done = true;
    const bytes = file.read(position, length);
    return bytes ? restoreSnapshot(bytes) : undefined;
  };
}

function cachePath(cacheDir: string, hash: string): string {
  return join(cacheDir, `${PREFIX}${hash}.v8`);
}

/**
 * The saved knowledge and indexes for `hash`, or undefined when there are none (or they cannot be
 * read). The indexes are read and deserialised when first asked for.
 */
export function readIndexCache(cacheDir: string, hash: string): RestoredIndexes | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(cachePath(cacheDir, hash), 'r');
    const size = fstatSync(fd).size;
    const preamble = Buffer.alloc(PREAMBLE);
    if (readSync(fd, preamble, 0, PREAMBLE, 0) !== PREAMBLE) throw new Error('short');
    if (preamble.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a cache file');
    const headerAt = preamble.readDoubleLE(MAGIC.length);
    const headerLength = preamble.readDoubleLE(MAGIC.length + 8);
    if (!(Number.isSafeInteger(headerAt) && Number.isSafeInteger(headerLength))) throw new Error('damaged');
    if (headerAt < PREAMBLE || headerAt + headerLength > size) throw new Error('truncated');
    const headerBytes = Buffer.allocUnsafe(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, headerAt) !== headerLength) throw new Error('short');
    const parsed = headerSchema.safeParse(deserialize(headerBytes));
    if (!parsed.success || parsed.data.hash !== hash) throw new Error('not this cache');
    const { indexes } = parsed.data;
    if (indexes.some(([, offset, length]) => PREAMBLE + offset + length > headerAt))
      throw new Error('damaged');
    const file = new CacheFile(fd, indexes.length);
    if (indexes.length === 0) file.close();
    // The shape is checked above; the contents are our own, written by writeIndexCache.
    return {
      knowledge: parsed.data.knowledge as unknown as KnowledgeBase,
      indexes: new Map(
        indexes.map(([lang, offset, length]) => [lang, restoreOnce(file, PREAMBLE + offset, length)]),
      ),
    };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

/**
 * Saves the knowledge and indexes for `hash` (atomically) and removes all but the newest files.
 * Each language is serialised and written in turn, so only one language's bytes are in memory.
 */
export function writeIndexCache(cacheDir: string, hash: string, cached: CachedIndexes): void {
  mkdirSync(cacheDir, { recursive: true });
  const path = cachePath(cacheDir, hash);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    // The languages first, one at a time, then the header (which says where each is), then the
    // preamble in front (which says where the header is).
    const places: Array<[Lang, number, number]> = [];
    let offset = 0;
    for (const [lang, snapshot] of cached.indexes) {
      const bytes = serialize(snapshot);
      writeAll(fd, bytes, PREAMBLE + offset);
      places.push([lang, offset, bytes.length]);
      offset += bytes.length;
    }
    const header = serialize({ format: CACHE_FORMAT, hash, knowledge: cached.knowledge, indexes: places });
    writeAll(fd, header, PREAMBLE + offset);
    const preamble = Buffer.alloc(PREAMBLE);
    preamble.write(MAGIC, 0, 'latin1');
    preamble.writeDoubleLE(PREAMBLE + offset, MAGIC.length);
    preamble.writeDoubleLE(header.length, MAGIC.length + 8);
    writeAll(fd, preamble, 0);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
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
