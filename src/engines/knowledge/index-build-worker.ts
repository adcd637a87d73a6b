/**
 * Builds the knowledge base's indexes in a worker thread and saves them in the index cache, so a
 * reload of a running bot analyses and trains off the thread that answers messages; the service
 * then loads the new version from the cache and swaps it in. Like a start, it builds only the
 * languages whose input changed (parallel-build.ts's buildWithCache) and reports which.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { engineHash, knowledgeHash } from './index-cache.js';
import { loadKnowledge } from './loader.js';
import { buildWithCache } from './parallel-build.js';
import { knowledgeTexts } from './yaml-cache.js';

const input = z.object({ dir: z.string(), cacheDir: z.string() }).parse(workerData);
const engine = engineHash();
const hash = knowledgeHash(input.dir, engine);
const texts = knowledgeTexts(input.cacheDir);
const { knowledge } = loadKnowledge(input.dir, { parseYaml: texts.parse });
texts.save();
if (knowledge) {
  const built = buildWithCache(knowledge, input.cacheDir, hash, { engine });
  if (built.writeError !== undefined) throw built.writeError;
  parentPort?.postMessage({ built: true, rebuilt: built.rebuilt, reused: built.reused });
} else parentPort?.postMessage({ built: false });
