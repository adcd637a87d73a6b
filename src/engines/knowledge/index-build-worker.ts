/**
 * Builds the knowledge base's indexes in a worker thread and saves them in the index cache, so a
 * reload of a running bot analyses and trains off the thread that answers messages; the service
 * then loads the new version from the cache and swaps it in.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { knowledgeHash, writeIndexCache } from './index-cache.js';
import { loadKnowledge } from './loader.js';
import { buildFaqEngine } from './parallel-build.js';

const input = z.object({ dir: z.string(), cacheDir: z.string() }).parse(workerData);
const hash = knowledgeHash(input.dir);
const { knowledge } = loadKnowledge(input.dir);
if (knowledge)
  writeIndexCache(input.cacheDir, hash, { knowledge, indexes: buildFaqEngine(knowledge).snapshots() });
parentPort?.postMessage({ built: knowledge !== undefined });
