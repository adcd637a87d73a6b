/**
 * Parsed YAML of the knowledge folder's side files (schedule words, intent phrases) saved beside the
 * index cache (`yaml-<key>.v8`), so a start with a fresh cache does not parse them again: the
 * `yaml` package was the largest single cost of `koban ask` once the index came from the cache.
 * Only the parse is saved; every reader still validates what it gets with its zod schema. The key
 * is the index cache's, a hash of every file under `knowledge/`, so an edited file is a miss; on a
 * miss, a file whose text is the same as when the newest other key's cache was saved (a hash of it
 * is kept) is taken from that cache instead of parsed again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { threadId } from 'node:worker_threads';
import { parse } from 'yaml';

/** Reads a YAML file and returns its parsed value; throws on a missing file or bad YAML. */
export type YamlReader = (path: string) => unknown;

/** Reads and parses, no cache. */
export const readYaml: YamlReader = (path) => parse(readFileSync(path, 'utf8'));

const PREFIX = 'yaml-';
/** Bump when the saved shape changes. */
const FORMAT = 2;
/** Files kept (the newest). */
const KEEP = 3;

/** A file's parse and a hash of the text it was parsed from. */
interface Parsed {
  text: string;
  value: unknown;
}

const textHash = (text: string): string => createHash('sha256').update(text).digest('base64');

/** The Map<path, Parsed> a cache file holds, or undefined when it cannot be read or is not ours. */
function readParsed(file: string): Map<string, Parsed> | undefined {
  try {
    const raw: unknown = deserialize(readFileSync(file));
    if (Array.isArray(raw) && raw[0] === FORMAT && raw[1] instanceof Map)
      return raw[1] as Map<string, Parsed>;
  } catch {
    // No file or not ours.
  }
  return undefined;
}

/** The parsed files of one knowledge version, by path; misses are parsed and kept for `save`. */
export class YamlCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly parsed: Map<string, Parsed>,
    /** The newest other version's parses, for files whose text did not change (a miss on the key). */
    private readonly previous: Map<string, Parsed>,
  ) {}

  /** The cache saved under `key` in `dir` (empty when there is none or it cannot be read). */
  static open(dir: string, key: string): YamlCache {
    const file = join(dir, `${PREFIX}${key}.v8`);
    const parsed = readParsed(file);
    if (parsed) return new YamlCache(file, parsed, new Map());
    let previous: Map<string, Parsed> | undefined;
    try {
      const newest = readdirSync(dir)
        .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
        .map((name) => join(dir, name))
        .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime)[0];
      previous = newest ? readParsed(newest.path) : undefined;
    } catch {
      // No folder yet.
    }
    return new YamlCache(file, new Map(), previous ?? new Map());
  }

  /** A `YamlReader` that answers from the cache, parsing (and remembering) on a miss. */
  readonly read: YamlReader = (path) => {
    const saved = this.parsed.get(path);
    if (saved) return structuredClone(saved.value);
    const text = readFileSync(path, 'utf8');
    const hash = textHash(text);
    const before = this.previous.get(path);
    const value = before?.text === hash ? structuredClone(before.value) : parse(text);
    this.parsed.set(path, { text: hash, value: structuredClone(value) });
    this.changed = true;
    return value;
  };

  /** Writes the cache when a read missed (atomically; older files removed). Failures are ignored. */
  save(): void {
    if (!this.changed) return;
    try {
      const dir = join(this.file, '..');
      mkdirSync(dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, serialize([FORMAT, this.parsed]));
      renameSync(tmp, this.file);
      this.changed = false;
      const older = readdirSync(dir)
        .filter((name) => name.startsWith(PREFIX) && name.endsWith('.v8'))
        .map((name) => join(dir, name))
        .filter((file) => file !== this.file)
        .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
      for (const { file } of older.slice(KEEP - 1)) rmSync(file, { force: true });
    } catch {
      // A cache that cannot be written only costs the next start a parse.
    }
  }
}

/** Bump when YamlTexts' saved shape changes. */
const TEXTS_FORMAT = 1;

/**
 * Parsed YAML by the text parsed (a hash of it), for the knowledge loader on a stale index cache:
 * when one file of the knowledge folder changed, every other file's YAML (the answers' front matter,
 * the side files) parses to what it did before, so it is taken from here instead of parsed again
 * (the `yaml` package was most of the loader's time). Only the parse is saved: the loader still
 * validates every value. Bad YAML is never saved (its parse throws each time, as without a cache).
 */
export class YamlTexts {
  private readonly used = new Map<string, unknown>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly saved: Map<string, unknown>,
  ) {}

  /** The parses saved in `file` (none when there is no file or it cannot be read). */
  static open(file: string): YamlTexts {
    let saved = new Map<string, unknown>();
    try {
      const raw: unknown = deserialize(readFileSync(file));
      if (Array.isArray(raw) && raw[0] === TEXTS_FORMAT && raw[1] instanceof Map)
        saved = raw[1] as Map<string, unknown>;
    } catch {
      // No file or not ours: every text is parsed.
    }
    return new YamlTexts(file, saved);
  }

  /** Parses `text` (a copy of the saved parse when there is one); throws on bad YAML. */
  readonly parse = (text: string): unknown => {
    const key = createHash('sha256').update(text).digest('base64');
    if (this.used.has(key)) return structuredClone(this.used.get(key));
    if (this.saved.has(key)) {
      const value = this.saved.get(key);
      this.used.set(key, value);
      return structuredClone(value);
    }
    const value = parse(text);
    this.used.set(key, structuredClone(value));
    this.changed = true;
    return value;
  };

  /**
   * Writes the texts parsed since `open` (atomically), when one of them was not saved or a saved
   * one was not asked for (so the file holds the latest version's texts only). Failures are ignored:
   * a cache that cannot be written only costs the next load its parse.
   */
  save(): void {
    if (!this.changed && this.used.size === this.saved.size) return;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const tmp = `${this.file}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, serialize([TEXTS_FORMAT, this.used]));
      renameSync(tmp, this.file);
    } catch {
      // Parsed again next time.
    }
  }
}

/** The loader's YamlTexts of the index cache in `cacheDir`. */
export function knowledgeTexts(cacheDir: string): YamlTexts {
  return YamlTexts.open(join(cacheDir, 'knowledge-yaml.v8'));
}
