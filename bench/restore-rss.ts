/**
 * What a restart with a fresh index cache holds: `node --expose-gc --import tsx bench/restore-rss.ts
 * CACHE_DIR KEY` reads the cache file, restores every language's index (as `koban start` does once
 * ready) and prints its resident memory then, and again after a full GC (the read's garbage
 * collected), with the heap and array buffers. Run by the koban-generated bench part in a process
 * of its own, so nothing of the build is counted.
 */
import { FaqEngine } from '../src/engines/knowledge/faq-engine.js';
import { readIndexCache } from '../src/engines/knowledge/index-cache.js';

const [cacheDir, key] = process.argv.slice(2);
if (!cacheDir || !key) throw new Error('usage: restore-rss.ts CACHE_DIR KEY');
const mb = (n: number): number => Math.round(n / 1e6);
const t0 = performance.now();
const cached = readIndexCache(cacheDir, key);
if (!cached) throw new Error(`no index cache ${key} in ${cacheDir}`);
const engine = new FaqEngine(cached.knowledge, cached.indexes);
engine.restoreAll();
const ms = Math.round(performance.now() - t0);
const restored = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
const collected = process.memoryUsage();
console.log(
  JSON.stringify({
    entries: engine.entryCount,
    ms,
    rssMb: mb(restored.rss),
    rssAfterGcMb: mb(collected.rss),
    heapMb: mb(collected.heapUsed),
    arrayBuffersMb: mb(collected.arrayBuffers),
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
  }),
);
