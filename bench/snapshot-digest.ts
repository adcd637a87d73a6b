/**
 * A digest of every language index's snapshot (everything an index holds), built from the shipped
 * knowledge and from a generated base: `node --import tsx bench/snapshot-digest.ts [ENTRIES]`. Two
 * checkouts whose build is meant to be the same (a change to how indexes are built, not to what they
 * hold) print the same digests.
 */
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { LANGUAGES } from '../src/core/languages.js';
import { buildLanguageIndex } from '../src/engines/knowledge/faq-engine.js';
import { type KnowledgeBase, loadKnowledge } from '../src/engines/knowledge/loader.js';
import { generateKb } from './generate-kb.js';

function feed(hash: Hash, value: unknown): void {
  if (ArrayBuffer.isView(value)) {
    hash.update(`${value.constructor.name}:${value.byteLength}:`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (value instanceof Map) {
    hash.update(`map${value.size}{`);
    for (const [k, v] of value) {
      feed(hash, k);
      feed(hash, v);
    }
    hash.update('}');
  } else if (Array.isArray(value)) {
    hash.update(`arr${value.length}[`);
    for (const v of value) feed(hash, v);
    hash.update(']');
  } else if (typeof value === 'object' && value !== null) {
    hash.update('{');
    for (const k of Object.keys(value).sort()) {
      hash.update(`${k}:`);
      feed(hash, (value as Record<string, unknown>)[k]);
    }
    hash.update('}');
  } else hash.update(`${typeof value}:${String(value)};`);
}

const shipped = loadKnowledge(join(import.meta.dirname, '..', 'knowledge')).knowledge;
if (!shipped) throw new Error('the shipped knowledge base has errors');
const entries = Number(process.argv[2] ?? 300);
const bases: Array<[string, KnowledgeBase]> = [
  ['shipped', shipped],
  [`generated ${entries}`, generateKb(shipped, entries).kb],
];
for (const [name, kb] of bases) {
  for (const lang of LANGUAGES) {
    const hash = createHash('sha256');
    feed(hash, buildLanguageIndex(kb, lang).snapshot());
    console.log(`${name} ${lang} ${hash.digest('hex').slice(0, 16)}`);
  }
}
