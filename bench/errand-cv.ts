/**
 * How well the scoring refuses errands it has never seen: each category of `errands` in
 * knowledge/off-topic/<lang>.yaml is left out in turn (every language's), the indexes are built
 * without it, and its sentences are asked as questions; prints the share refused (not answered),
 * per language and overall, for each SCORING variant. A proxy for new near-domain questions (the
 * development set's near-domain files were used to write the errands, so they overstate it).
 *
 *   node --import tsx bench/errand-cv.ts
 *   node --import tsx bench/errand-cv.ts --scoring '{}' --scoring '{"errandTrust":0.5}'
 *
 * Each category's fold builds every language's index (about a minute each on a quiet machine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { LANGUAGES, type Lang } from '../src/core/languages.js';
import { FaqEngine, SCORING } from '../src/engines/knowledge/faq-engine.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { offTopicSchema } from '../src/engines/knowledge/off-topic.js';

const ROOT = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: { scoring: { type: 'string', multiple: true }, only: { type: 'string' } },
});
const { knowledge, problems } = loadKnowledge(join(ROOT, 'knowledge'));
if (!knowledge) {
  console.error(problems);
  process.exit(1);
}
const byCategory = new Map<string, Map<Lang, string[]>>();
for (const lang of LANGUAGES) {
  const file = offTopicSchema.parse(
    parse(readFileSync(join(ROOT, 'knowledge', 'off-topic', `${lang}.yaml`), 'utf8')),
  );
  for (const [category, sentences] of Object.entries(file.errands ?? {})) {
    const langs = byCategory.get(category) ?? new Map<Lang, string[]>();
    langs.set(lang, sentences);
    byCategory.set(category, langs);
  }
}
const variants = args.scoring ?? ['{}'];
const defaults = { ...SCORING };
/** Per variant and language: [refused, asked]. */
const tally = variants.map(() => new Map<string, [number, number]>());
const categories = [...byCategory.keys()].filter((c) => !args.only || args.only.split(',').includes(c));
for (const category of categories) {
  const left = byCategory.get(category) ?? new Map<Lang, string[]>();
  const errands: Partial<Record<Lang, string[]>> = {};
  for (const lang of LANGUAGES)
    errands[lang] = [...byCategory.entries()].flatMap(([c, m]) =>
      c === category ? [] : (m.get(lang) ?? []),
    );
  const engine = new FaqEngine({ ...knowledge, errands });
  variants.forEach((variant, v) => {
    Object.assign(SCORING, defaults, JSON.parse(variant) as Partial<typeof SCORING>);
    const t = tally[v] as Map<string, [number, number]>;
    let refused = 0;
    let asked = 0;
    for (const [lang, sentences] of left) {
      for (const text of sentences) {
        const ok = engine.search(text, lang).answer === undefined ? 1 : 0;
        for (const key of [lang, 'all']) {
          const [r, n] = t.get(key) ?? [0, 0];
          t.set(key, [r + ok, n + 1]);
        }
        refused += ok;
        asked++;
      }
    }
    console.log(`${category.padEnd(24)} ${variant}: ${refused}/${asked}`);
  });
}
Object.assign(SCORING, defaults);
variants.forEach((variant, v) => {
  const t = tally[v] as Map<string, [number, number]>;
  const cells = [...LANGUAGES, 'all'].map((l) => {
    const [r, n] = t.get(l) ?? [0, 0];
    return `${l} ${(r / (n || 1)).toFixed(3)}`;
  });
  console.log(`${variant}\n  ${cells.join('  ')}`);
});
