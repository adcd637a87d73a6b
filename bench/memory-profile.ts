/**
 * Where a generated knowledge base's memory goes, per language and per structure:
 * `node --expose-gc --import tsx bench/memory-profile.ts ENTRIES [LANGS]`. Builds each language's
 * index on this thread and measures the heap and array buffers it adds (after GC), then estimates
 * each structure's share from its element counts (typed arrays exactly; strings, arrays and Maps
 * by V8's usual object sizes on a 64-bit heap without pointer compression).
 */

import { join } from 'node:path';
import { LANGUAGES, type Lang } from '../src/core/languages.js';
import { buildLanguageIndex } from '../src/engines/knowledge/faq-engine.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { generateKb } from './generate-kb.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const [entriesArg = '5000', langsArg] = process.argv.slice(2);
const shipped = loadKnowledge(join(import.meta.dirname, '..', 'knowledge')).knowledge;
if (!shipped) throw new Error('the shipped knowledge base has errors');
const { kb } = generateKb(shipped, Number(entriesArg));
const langs = (langsArg ? langsArg.split(',') : LANGUAGES) as Lang[];

const MB = 1e6;
/** A string: header 16 bytes (+ length) and 1 or 2 bytes a character, rounded to 8. */
function stringBytes(s: string): number {
  const wide = /[^\u0000-\u00ff]/.test(s);
  return Math.ceil((16 + s.length * (wide ? 2 : 1)) / 8) * 8;
}
function sizeOf(value: unknown, seen: Set<unknown>): number {
  if (typeof value === 'string') {
    if (seen.has(value)) return 0;
    seen.add(value);
    return stringBytes(value);
  }
  if (typeof value !== 'object' || value === null) return 0;
  if (seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength + 64;
  if (value instanceof Map) {
    // OrderedHashMap: 3 slots an entry + 1 bucket per 2 entries, capacity a power of two.
    const cap = 2 ** Math.ceil(Math.log2(Math.max(4, value.size)));
    let n = 24 + cap * 8 * 3.5;
    for (const [k, v] of value) n += sizeOf(k, seen) + sizeOf(v, seen);
    return n;
  }
  if (Array.isArray(value)) {
    let n = 32 + value.length * 8;
    for (const v of value) n += sizeOf(v, seen);
    return n;
  }
  let n = 24 + Object.keys(value).length * 8;
  for (const v of Object.values(value)) n += sizeOf(v, seen);
  return n;
}
function used(): { heap: number; buffers: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}
const kbSeen = new Set<unknown>();
const kbBytes = sizeOf(kb.entries, kbSeen);
console.log(`knowledge (entries, estimated): ${(kbBytes / MB).toFixed(1)} MB`);
const keep: unknown[] = [];
const rows: Array<Record<string, string | number>> = [];
for (const lang of langs) {
  const before = used();
  const index = buildLanguageIndex(kb, lang);
  keep.push(index);
  const after = used();
  const snap = index.snapshot();
  const seen = new Set<unknown>(kbSeen);
  const row: Record<string, string | number> = {
    lang,
    heapMB: ((after.heap - before.heap) / MB).toFixed(1),
    buffersMB: ((after.buffers - before.buffers) / MB).toFixed(1),
  };
  // Order matters for shared strings: each is counted where it is first met.
  const parts: Array<[string, unknown]> = [
    ['terms.terms', snap.terms.terms],
    ['terms.arrays', [snap.terms.df, snap.terms.offsets, snap.terms.codes]],
    ['scorer.terms', snap.scorer.terms],
    ['scorer.refs', snap.scorer.refs],
    ['scorer.arrays', [snap.scorer.termIndex, snap.scorer.offsets, snap.scorer.docs, snap.scorer.weights]],
    ['typos.words', snap.typos.words],
    ['typos.byDeletion', snap.typos.byDeletion],
    ['examplesByTerm.keys', [snap.examplesByTerm.table, snap.examplesByTerm.extra]],
    ['examplesByTerm.arrays', [snap.examplesByTerm.offsets, snap.examplesByTerm.codes]],
    ['examples', [snap.exampleWeights, snap.exampleOffTopic]],
    ['classifier', snap.classifier],
    ['errands', snap.errands],
    ['synonyms+glossary', [snap.synonyms, snap.glossary]],
  ];
  for (const [name, v] of parts) row[name] = (sizeOf(v, seen) / MB).toFixed(1);
  row.termCount = snap.terms.terms.length;
  row.scorerTerms = snap.scorer.terms.length;
  row.postings = snap.scorer.docs.length;
  row.deletionKeys = snap.typos.byDeletion.low.length;
  row.deletionPairs = snap.typos.byDeletion.ids.length;
  row.exampleKeys = snap.examplesByTerm.offsets.length - 1;
  row.exampleExtraKeys = snap.examplesByTerm.extra.length;
  row.errandFeatures = snap.errands.featureIds.size;
  rows.push(row);
  console.log(JSON.stringify(row));
}
const m = process.memoryUsage();
console.log(
  JSON.stringify({
    rssMB: Math.round(m.rss / MB),
    heapUsedMB: Math.round(m.heapUsed / MB),
    arrayBuffersMB: Math.round(m.arrayBuffers / MB),
    peakMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
    kept: keep.length,
  }),
);
