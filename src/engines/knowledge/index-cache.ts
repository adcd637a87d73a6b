/**
 * The index cache: the validated knowledge base and every language's analysed terms, compiled lunr
 * index, classifier weights and typo index, saved after a build and loaded at the next start
 * instead of parsing, validating, analysing and training again. Each language's index is
 * serialised on its own inside the file and deserialised when first asked for, so a question
 * restores only the indexes it searches. A
 * cache file is named by a hash of the knowledge folder's files and of this engine's own code, so
 * any change to either is a miss, never a stale answer. On a miss the files are loaded again, but
 * each language's saved index is kept under a key of its own (a hash of exactly what it is built
 * from, index-input.ts, and of the engine's code): a language whose key a kept file holds is copied
 * from it as it is, and only the others are built again (parallel-build.ts's buildWithCache).
 * Files are written atomically; one that cannot be read or does not have the expected shape counts
 * as a miss.
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
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { BUNDLE_DIR } from '../../core/package-root.js';
import type { LanguageIndexSnapshot } from './language-index.js';
import type { KnowledgeBase } from './loader.js';

/** Bump when the snapshot's shape changes in a way the code hash would not show. */
export const CACHE_FORMAT = 7;
/**
 * A cache file: this mark, the header's position and length (two little-endian doubles), each
 * language's snapshot, v8-serialised on its own, the knowledge base (v8-serialised), then the header
 * (v8-serialised: format, hash, where the knowledge is, and where each language's bytes are with
 * their key). A language's bytes are read from the file when it is first restored, so the file is
 * never in memory whole (it was: a 525 MB buffer at 20,000 entries, alive until a GC after the last
 * restore); the header is small, so the keys of a kept file are read without its knowledge base.
 */
const MAGIC = 'KOBANIX2';
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

/**
 * Packages loaded from node_modules (not bundled) whose code shapes a cached index: lunr's tokens
 * and index format, lunr-languages' stemmers, yaml's parse of the knowledge files. An upgrade of
 * one of them is a miss, as a change to our own code is.
 */
const INDEX_PACKAGES = ['lunr', 'lunr-languages', 'yaml'] as const;

/** `name@version` of each of INDEX_PACKAGES as installed, or `name@?` when it cannot be read. */
export function indexPackageVersions(): string {
  const require = createRequire(import.meta.url);
  return INDEX_PACKAGES.map((name) => {
    try {
      const { version } = require(`${name}/package.json`) as { version?: unknown };
      return `${name}@${typeof version === 'string' ? version : '?'}`;
    } catch {
      return `${name}@?`;
    }
  }).join(' ');
}

/**
 * A hash of what builds an index besides the knowledge: the cache format, this engine's code, the
 * versions of the packages in INDEX_PACKAGES, and the runtime (Japanese and Thai words come from
 * the ICU data of the node binary).
 */
export function engineHash(packages = indexPackageVersions()): string {
  const hash = createHash('sha256').update(
    `format ${CACHE_FORMAT}\nnode ${process.version} icu ${process.versions.icu ?? '-'}\n${packages}\n`,
  );
  for (const file of filesUnder(ENGINE_DIR)) {
    hash
      .update(`engine/${file}\n`)
      .update(readFileSync(join(ENGINE_DIR, file)))
      .update('\n');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The cache key: knowledge files (names and contents) and the engine (engineHash, or `engine` when
 * the caller has it already).
 */
export function knowledgeHash(knowledgeDir: string, engine = engineHash()): string {
  const hash = createHash('sha256').update(`engine ${engine}\n`);
  for (const file of filesUnder(knowledgeDir)) {
    hash
      .update(`knowledge/${file}\n`)
      .update(readFileSync(join(knowledgeDir, file)))
      .update('\n');
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
const knowledgeSchema = z.object({ entries: z.instanceof(Map), center: z.object({}).loose() }).loose();
const place = z.tuple([z.number().int().nonnegative(), z.number().int().positive()]);
const headerSchema = z.object({
  format: z.literal(CACHE_FORMAT),
  hash: z.string(),
  // Where the knowledge base is, after the preamble: [offset, length].
  knowledge: place,
  // Where each language's snapshot is, after the preamble: [language, offset, length, key] (read by
  // restoreSnapshot on first use; the key is that of its input, '' for none).
  indexes: z.array(
    z.tuple([z.enum(LANGUAGES), z.number().int().nonnegative(), z.number().int().positive(), z.string()]),
  ),
});
type Header = z.infer<typeof headerSchema>;

/** A language's snapshot as saved in a cache file: the file, and where its bytes are in it. */
export interface SavedPart {
  path: string;
  position: number;
  length: number;
}

/**
 * What the cache holds: the validated knowledge base and every language's index, each a snapshot
 * or one saved in another cache file (copied as it is), with the key of its input when it has one.
 */
export interface CachedIndexes {
  knowledge: KnowledgeBase;
  indexes: ReadonlyMap<Lang, LanguageIndexSnapshot | SavedPart>;
  keys?: ReadonlyMap<Lang, string>;
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

/** Reads a cache file's header (not its knowledge base) from the open file `fd`. */
function readHeader(fd: number): Header {
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
  if (!parsed.success) throw new Error('not a cache header');
  const places = [
    parsed.data.knowledge,
    ...parsed.data.indexes.map(([, offset, length]) => [offset, length]),
  ];
  if (places.some(([offset = 0, length = 0]) => PREAMBLE + offset + length > headerAt))
    throw new Error('damaged');
  return parsed.data;
}

/** `length` bytes at `position` of the open file `fd`. */
function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  if (readSync(fd, bytes, 0, length, position) !== length) throw new Error('short');
  return bytes;
}

/**
 * The saved knowledge and indexes for `hash`, or undefined when there are none (or they cannot be
 * read). The indexes are read and deserialised when first asked for.
 */
export function readIndexCache(cacheDir: string, hash: string): RestoredIndexes | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(cachePath(cacheDir, hash), 'r');
    const header = readHeader(fd);
    if (header.hash !== hash) throw new Error('not this cache');
    const [knowledgeAt, knowledgeLength] = header.knowledge;
    const knowledge = knowledgeSchema.safeParse(
      deserialize(readAt(fd, PREAMBLE + knowledgeAt, knowledgeLength)),
    );
    if (!knowledge.success) throw new Error('not a knowledge base');
    const { indexes } = header;
    const file = new CacheFile(fd, indexes.length);
    if (indexes.length === 0) file.close();
    // The shape is checked above; the contents are our own, written by writeIndexCache.
    return {
      knowledge: knowledge.data as unknown as KnowledgeBase,
      indexes: new Map(
        indexes.map(([lang, offset, length]) => [lang, restoreOnce(file, PREAMBLE + offset, length)]),
      ),
    };
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

/** The cache files in `cacheDir`, newest first. */
function cacheFiles(cacheDir: string): string[] {
  try {
    return readdirSync(cacheDir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
      .map((name) => join(cacheDir, name))
      .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
      .map(({ file }) => file);
  } catch {
    return [];
  }
}

/**
 * Every language snapshot the cache files in `cacheDir` hold under a key, by key (the newest file's
 * when several hold one). Only the files' headers are read; a file that cannot be read is skipped.
 */
export function savedParts(cacheDir: string): Map<string, SavedPart> {
  const out = new Map<string, SavedPart>();
  for (const path of cacheFiles(cacheDir)) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      for (const [, offset, length, key] of readHeader(fd).indexes) {
        if (key && !out.has(key)) out.set(key, { path, position: PREAMBLE + offset, length });
      }
    } catch {
      // Not a cache file of this format: nothing in it is reused.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return out;
}

/**
 * A SnapshotSource for each saved part, reading its bytes when first called; each file is opened
 * once (an open file stays readable when a newer build removes it) and closed after its last read.
 * A file that cannot be opened gives sources that return undefined (the engine then builds them).
 */
export function partSources(parts: ReadonlyMap<Lang, SavedPart>): Map<Lang, SnapshotSource> {
  const byPath = new Map<string, Array<[Lang, SavedPart]>>();
  for (const [lang, part] of parts) byPath.set(part.path, [...(byPath.get(part.path) ?? []), [lang, part]]);
  const out = new Map<Lang, SnapshotSource>();
  for (const [path, list] of byPath) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = undefined;
    }
    const file = new CacheFile(fd, list.length);
    for (const [lang, part] of list) out.set(lang, restoreOnce(file, part.position, part.length));
  }
  return out;
}

/** Copies a saved part's bytes to `fd` at `position` (a piece at a time); throws when they cannot be read. */
function copyPart(part: SavedPart, fd: number, position: number): void {
  const from = openSync(part.path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(Math.min(part.length, 16 * 1024 * 1024));
    for (let done = 0; done < part.length; ) {
      const want = Math.min(chunk.length, part.length - done);
      if (readSync(from, chunk, 0, want, part.position + done) !== want) throw new Error('short');
      writeAll(fd, chunk.subarray(0, want), position + done);
      done += want;
    }
  } finally {
    closeSync(from);
  }
}

/**
 * Saves the knowledge and indexes for `hash` (atomically) and removes all but the newest files.
 * Each language is serialised and written in turn, so only one language's bytes are in memory; a
 * saved part (another file's) is copied as it is. Returns where each language is in the new file.
 * Throws when it cannot write, or cannot read a saved part (nothing is left behind then).
 */
export function writeIndexCache(cacheDir: string, hash: string, cached: CachedIndexes): Map<Lang, SavedPart> {
  mkdirSync(cacheDir, { recursive: true });
  const path = cachePath(cacheDir, hash);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const written = new Map<Lang, SavedPart>();
  try {
    // The languages first, one at a time, then the knowledge, then the header (which says where
    // each is), then the preamble in front (which says where the header is).
    const places: Header['indexes'] = [];
    let offset = 0;
    for (const [lang, index] of cached.indexes) {
      let length: number;
      if ('path' in index) {
        copyPart(index, fd, PREAMBLE + offset);
        length = index.length;
      } else {
        const bytes = serialize(index);
        writeAll(fd, bytes, PREAMBLE + offset);
        length = bytes.length;
      }
      places.push([lang, offset, length, cached.keys?.get(lang) ?? '']);
      written.set(lang, { path, position: PREAMBLE + offset, length });
      offset += length;
    }
    const knowledge = serialize(cached.knowledge);
    writeAll(fd, knowledge, PREAMBLE + offset);
    const knowledgePlace: [number, number] = [offset, knowledge.length];
    offset += knowledge.length;
    const header = serialize({ format: CACHE_FORMAT, hash, knowledge: knowledgePlace, indexes: places });
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
  for (const file of cacheFiles(cacheDir)
    .filter((file) => file !== path)
    .slice(KEEP - 1))
    rmSync(file, { force: true });
  return written;
}
