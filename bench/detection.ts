/**
 * `npm run bench:detection`: our language detection next to tinyld alone, on the development
 * questions of at most 12 words (the table in the README's "Language detection" section).
 */
import { detect } from 'tinyld';
import { detectLanguage } from '../src/assistant/language-detection.js';
import { LANGUAGES } from '../src/core/languages.js';
import { loadKnowledge } from '../src/engines/knowledge/loader.js';
import { percentile } from '../src/eval/metrics.js';
import { readQuestionSet } from '../src/eval/question-set.js';

const set = readQuestionSet(process.argv[2] ?? 'test/dev-set');
// The hints of knowledge/language-hints, as the assistant uses them.
const hints = loadKnowledge('knowledge').knowledge?.languageHints ?? {};
const short = set.filter((q) => q.text.split(/\s+/).length <= 12);

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

console.log(`# koban-assistant benchmark (${new Date().toISOString()}, node ${process.version})\n`);
console.log(`## Language detection: ${short.length} development questions of at most 12 words\n`);
console.log('| detector | right | confident | right when confident | p50 per call |');
console.log('|---|---|---|---|---|');
for (const [name, fn] of [
  ['koban detector (scripts + tinyld + function words)', (t: string) => detectLanguage(t, hints)],
  [
    'tinyld 1.3.4 alone, restricted to our languages',
    (t: string) => ({ lang: detect(t, { only: [...LANGUAGES] }) || undefined, confident: true }),
  ],
] as const) {
  let right = 0;
  let confident = 0;
  let rightConfident = 0;
  const ms: number[] = [];
  for (const q of short) {
    const [d, t] = time(() => fn(q.text));
    ms.push(t);
    if (d.lang === q.lang) right++;
    if (d.confident) {
      confident++;
      if (d.lang === q.lang) rightConfident++;
    }
  }
  console.log(
    `| ${name} | ${right}/${short.length} | ${confident} | ${rightConfident}/${confident} | ${(percentile(ms, 50) * 1000).toFixed(0)} µs |`,
  );
}
