/**
 * Reply language of short mixed-language messages: how many of each file's messages
 * `detectLanguage` (with the knowledge base's language hints) gives the expected language.
 *
 *   node --import tsx bench/mixed-language.ts                      development and held-out files
 *   node --import tsx bench/mixed-language.ts FILE...              these files
 *
 * Files are JSONL lines `{"text": …, "lang": …}` (test/dev-set/language, test/holdout/language).
 * The development files are also gated by test/assistant/language-hints.test.ts (at most 2 % wrong);
 * this prints the held-out ones too, for the 0.98 goal. A message nothing decides is English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectLanguage } from '../src/assistant/language-detection.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';

const ROOT = join(import.meta.dirname, '..');
const DIRS = [join(ROOT, 'test', 'dev-set', 'language'), join(ROOT, 'test', 'holdout', 'language')];

const { knowledge, problems } = loadKnowledge(join(ROOT, 'knowledge'));
if (!knowledge) {
  console.error(problems);
  process.exit(1);
}
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : DIRS.flatMap((d) =>
        readdirSync(d)
          .filter((f) => f.endsWith('.jsonl'))
          .map((f) => join(d, f)),
      );
for (const file of files) {
  const items = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; lang: string });
  const right = items.filter(
    (q) => (detectLanguage(q.text, knowledge.languageHints).lang ?? 'en') === q.lang,
  );
  console.log(`${file.slice(ROOT.length + 1)}: ${right.length}/${items.length}`);
}
