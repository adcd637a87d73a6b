/**
 * Every generated question's full FAQ result, to show that a change to the index's storage keeps
 * the answers byte-identical: `node --import tsx bench/answers-check.ts ENTRIES OUT.json [REF.json]`.
 * Builds the indexes as the bot does (`buildFaqEngine`: two threads above 200 entries), answers
 * every generated question (entry, confidence, matched language, suggestions), then saves the
 * indexes in an index cache, restores them into a fresh engine and answers again: both passes must
 * agree. OUT.json gets the results; with REF.json (an OUT.json of the code before) they are
 * compared line by line. Exits 1 on any difference.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaqEngine, type FaqResult } from '../src/engines/knowledge/faq-engine.js';
import { readIndexCache, writeIndexCache } from '../src/engines/knowledge/index-cache.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { buildFaqEngine } from '../src/engines/knowledge/parallel-build.js';
import { generateKb } from './generate-kb.js';

const [entriesArg = '5000', out = '/tmp/koban-answers.json', reference] = process.argv.slice(2);
const shipped = loadKnowledge(join(import.meta.dirname, '..', 'knowledge')).knowledge;
if (!shipped) throw new Error('the shipped knowledge base has errors');
const { kb, questions } = generateKb(shipped, Number(entriesArg));

/** One result as a line of text: everything a reply is made from. */
function line(result: FaqResult): string {
  const match = (m: NonNullable<FaqResult['answer']>) => [
    m.entry.id,
    m.confidence,
    m.matchedLang,
    m.translation.lang,
  ];
  return JSON.stringify([
    result.answer ? match(result.answer) : null,
    result.confidence,
    result.suggestions.map(match),
  ]);
}

const answer = (engine: FaqEngine): string[] => questions.map((q) => line(engine.search(q.text, q.lang)));

let engine: FaqEngine = buildFaqEngine(kb);
const built = answer(engine);
const cacheDir = mkdtempSync(join(tmpdir(), 'koban-answers-'));
writeIndexCache(cacheDir, 'answers', { knowledge: kb, indexes: engine.snapshots() });
engine = new FaqEngine({ ...kb, entries: new Map() });
const cached = readIndexCache(cacheDir, 'answers');
rmSync(cacheDir, { recursive: true, force: true });
if (!cached) throw new Error('the index cache written just now did not read back');
engine = new FaqEngine(cached.knowledge, cached.indexes);
const restored = answer(engine);

let differences = 0;
const differ = (what: string, a: readonly string[], b: readonly string[]): void => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    differences++;
    if (differences <= 10) console.log(`${what} #${i}: ${a[i]} != ${b[i]}`);
  }
};
differ('built vs restored', built, restored);
if (reference) differ('reference vs built', JSON.parse(readFileSync(reference, 'utf8')) as string[], built);
writeFileSync(out, JSON.stringify(built));
const answered = built.filter((l) => !l.startsWith('[null')).length;
console.log(
  JSON.stringify({ entries: Number(entriesArg), questions: built.length, answered, differences, reference }),
);
process.exit(differences === 0 ? 0 : 1);
