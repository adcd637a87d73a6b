/**
 * Holds the current knowledge base and its search engine, and reloads both when files change.
 * A reload that finds errors keeps the last good version serving and logs every problem.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Lang } from '../../core/languages.js';
import type { Logger } from '../../logger.js';
import { FaqEngine } from './faq-engine.js';
import { engineHash, knowledgeHash, readIndexCache } from './index-cache.js';
import { type KnowledgeBase, loadKnowledge } from './loader.js';
import { buildFaqEngine, buildWithCache } from './parallel-build.js';
import { formatProblem, type Problem } from './problems.js';
import { knowledgeTexts } from './yaml-cache.js';

export class KnowledgeLoadError extends Error {
  readonly code = 'KNOWLEDGE_INVALID';
  constructor(readonly problems: Problem[]) {
    super(`the knowledge base has ${problems.length} error(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

/**
 * Something else that reloads from the knowledge folder (schedules). It runs on every reload,
 * whether or not the FAQ files are valid, and keeps its own last good version on errors.
 */
export type ReloadListener = (dir: string) => void;

/** Told after each reload whether the new files were taken (health and metrics). */
export type ReloadResultListener = (ok: boolean) => void;

/**
 * A short fingerprint of the content now serving, for /healthz and the logs: the index cache's key
 * when there is one (already computed from the files), else a hash of the parsed content.
 */
function fingerprint(kb: KnowledgeBase, hash: string | undefined): string {
  if (hash) return hash.slice(0, 12);
  const content = JSON.stringify([[...kb.entries.values()], kb.center, kb.synonyms, kb.offTopic, kb.errands]);
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

/**
 * How the version now serving was made: from the index cache whole (`cache`), or loaded from the
 * files with the languages in `rebuilt` built and the others taken from a kept cache file
 * (`build`); `worker` when a background build made the cache file this version was read from.
 */
export interface BuildReport {
  from: 'cache' | 'build' | 'none';
  rebuilt: Lang[];
  reused: Lang[];
  worker?: { rebuilt: Lang[]; reused: Lang[] };
}

/** What index-build-worker reports. */
interface WorkerReport {
  built: boolean;
  rebuilt?: Lang[];
  reused?: Lang[];
}

/**
 * Runs index-build-worker on `dir`; resolves when the cache holds its indexes (or it found errors),
 * with what it built.
 */
function buildInWorker(dir: string, cacheDir: string): Promise<WorkerReport | undefined> {
  // Compiled, the worker is the JavaScript file; under tsx (development) a small bootstrap
  // registers tsx in the worker first, then imports the TypeScript file.
  const compiled = !import.meta.url.endsWith('.ts');
  const entry = new URL(`./index-build-worker.${compiled ? 'js' : 'ts'}`, import.meta.url);
  const worker = compiled
    ? new Worker(entry, { workerData: { dir, cacheDir } })
    : new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`,
        { eval: true, workerData: { dir, cacheDir } },
      );
  return new Promise((resolve, reject) => {
    worker.once('message', (report: WorkerReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve(undefined) : reject(new Error(`index worker exited ${code}`)),
    );
  });
}

export class KnowledgeService {
  private current: { kb: KnowledgeBase; faq: FaqEngine; hash: string | undefined };
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ReloadListener[] = [];
  private pending: Promise<boolean> = Promise.resolve(true);
  private readonly resultListeners: ReloadResultListener[] = [];
  /** When the version now serving was loaded, and its fingerprint. */
  loadedAt: Date;
  version: string;
  /**
   * The index cache's key for the version now serving (a hash of the knowledge files and the
   * engine's code), for other models learned from the same files; undefined without a cache folder.
   */
  cacheKey: string | undefined;
  /**
   * A hash of the knowledge engine's code (index-cache.ts's engineHash), for models saved beside
   * the index cache under a key of their own inputs; undefined without a cache folder.
   */
  engineKey: string | undefined;
  /** How the version now serving was made (which languages were built), for the logs and tests. */
  lastBuild: BuildReport = { from: 'none', rebuilt: [], reused: [] };
  /** What the last background build in a worker built, until the reload that reads it. */
  private workerBuild: { rebuilt: Lang[]; reused: Lang[] } | undefined;

  /**
   * Loads `dir`; throws KnowledgeLoadError when it has errors (there is nothing good to serve yet).
   * With `cacheDir`, the search indexes come from the index cache when it matches the files, and
   * are saved there after a build.
   */
  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly options: { cacheDir?: string; clock?: () => Date } = {},
  ) {
    const loaded = this.build();
    if (!('kb' in loaded)) throw new KnowledgeLoadError(loaded.errors);
    this.current = loaded;
    this.loadedAt = this.clock();
    this.version = fingerprint(loaded.kb, loaded.hash);
    this.cacheKey = loaded.hash;
  }

  private clock(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private build(): { kb: KnowledgeBase; faq: FaqEngine; hash: string | undefined } | { errors: Problem[] } {
    const { cacheDir } = this.options;
    const engine = cacheDir ? engineHash() : undefined;
    this.engineKey = engine;
    const hash = cacheDir ? knowledgeHash(this.dir, engine) : undefined;
    const cached = cacheDir && hash ? readIndexCache(cacheDir, hash) : undefined;
    const worker = this.workerBuild;
    this.workerBuild = undefined;
    if (cached) {
      this.logger.debug({ hash }, 'knowledge and indexes loaded from the index cache');
      const kb = { ...cached.knowledge, dir: this.dir };
      this.lastBuild = { from: 'cache', rebuilt: [], reused: [], ...(worker ? { worker } : {}) };
      return { kb, faq: new FaqEngine(kb, cached.indexes), hash };
    }
    // Every file's YAML parsed as at the last load, unless that file changed.
    const texts = cacheDir ? knowledgeTexts(cacheDir) : undefined;
    const { knowledge, problems } = loadKnowledge(this.dir, texts ? { parseYaml: texts.parse } : {});
    texts?.save();
    if (!knowledge) return { errors: problems.errors };
    if (!cacheDir || !hash) {
      this.lastBuild = { from: 'build', rebuilt: [], reused: [] };
      return { kb: knowledge, faq: buildFaqEngine(knowledge), hash };
    }
    // Only the languages whose input changed are built; the others come from a kept cache file.
    const built = buildWithCache(knowledge, cacheDir, hash, engine ? { engine } : {});
    if (built.writeError !== undefined)
      this.logger.warn(
        { err: built.writeError, cacheDir },
        'cannot write the index cache; the next start builds again',
      );
    this.lastBuild = { from: 'build', rebuilt: built.rebuilt, reused: built.reused };
    this.logger.debug({ hash, rebuilt: built.rebuilt, reused: built.reused }, 'indexes built');
    return { kb: knowledge, faq: built.faq, hash };
  }

  get faq(): FaqEngine {
    return this.current.faq;
  }

  get kb(): KnowledgeBase {
    return this.current.kb;
  }

  onReload(listener: ReloadListener): void {
    this.listeners.push(listener);
  }

  onReloadResult(listener: ReloadResultListener): void {
    this.resultListeners.push(listener);
  }

  /** Reloads now; returns false (and keeps serving the old version) when the files have errors. */
  reload(): boolean {
    const started = performance.now();
    const loaded = this.build();
    for (const listener of this.listeners) {
      try {
        listener(this.dir);
      } catch (err) {
        this.logger.error({ err }, 'a knowledge reload listener failed');
      }
    }
    if (!('kb' in loaded)) {
      this.logger.error(
        { problems: loaded.errors.map(formatProblem) },
        'knowledge reload failed; still serving the last good version',
      );
      this.tell(false);
      return false;
    }
    // Only a running bot reloads: every index is restored before the swap, not at a question.
    loaded.faq.restoreAll();
    this.current = loaded;
    this.loadedAt = this.clock();
    this.version = fingerprint(loaded.kb, loaded.hash);
    this.cacheKey = loaded.hash;
    this.tell(true);
    this.logger.info(
      {
        entries: loaded.kb.entries.size,
        ms: Math.round(performance.now() - started),
        rebuilt: this.lastBuild.worker?.rebuilt ?? this.lastBuild.rebuilt,
      },
      'knowledge reloaded',
    );
    return true;
  }

  /**
   * Reloads with the indexes built in a worker thread (saved to the index cache), so answering
   * goes on meanwhile; the swap itself is a cache load. Without a cache folder, or when the worker
   * fails, it reloads on this thread. Reloads run one after another.
   */
  reloadInBackground(): Promise<boolean> {
    this.pending = this.pending.then(async () => {
      const { cacheDir } = this.options;
      if (cacheDir) {
        try {
          const report = await buildInWorker(this.dir, cacheDir);
          if (report?.rebuilt && report.reused)
            this.workerBuild = { rebuilt: report.rebuilt, reused: report.reused };
        } catch (err) {
          this.logger.warn({ err }, 'background index build failed; building on the main thread');
        }
      }
      return this.reload();
    });
    return this.pending;
  }

  private tell(ok: boolean): void {
    for (const listener of this.resultListeners) listener(ok);
  }

  /** Reloads shortly after any file under the knowledge folder changes. */
  watch(debounceMs = 300): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reloadInBackground(), debounceMs);
      });
      this.watcher.on('error', (err) => this.logger.warn({ err }, 'knowledge watcher stopped'));
    } catch (err) {
      this.logger.warn({ err }, 'cannot watch the knowledge folder; restart to pick up changes');
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
