/**
 * A deterministic, seeded generator of large knowledge bases for `npm run bench`: N entries, each
 * translated into all eight languages. Words are drawn from each language's own running text in
 * the shipped knowledge base (so vocabulary, word frequencies and scripts are real), and the
 * number of questions, words per question and body length follow the shipped entries. Each entry
 * also gets a few rare "topic" words of its own (invented from real syllables), as real entries
 * have names and terms that identify them. Test questions are an entry's own question with one
 * word dropped, two swapped or a letter changed.
 */
import { LANGUAGES, type Lang } from '../src/core/languages.js';
import { seededRandom } from '../src/core/seeded-random.js';
import type { FaqEntry, Translation } from '../src/engines/knowledge/faq-entry.js';
import type { KnowledgeBase } from '../src/engines/knowledge/loader.js';

const UNSPACED: ReadonlySet<Lang> = new Set<Lang>(['ja', 'th']);

interface LanguageModel {
  /** Running words of the shipped text (repeats kept, so sampling follows real frequencies). */
  stream: string[];
  questionWords: number[];
  bodyWords: number[];
  questionCount: number[];
}

function wordsOf(text: string, lang: Lang): string[] {
  const seg = new Intl.Segmenter(lang === 'tl' ? 'fil' : lang, { granularity: 'word' });
  return [...seg.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
}

function model(kb: KnowledgeBase, lang: Lang): LanguageModel {
  const m: LanguageModel = { stream: [], questionWords: [], bodyWords: [], questionCount: [] };
  for (const entry of kb.entries.values()) {
    const t = entry.translations[lang];
    if (!t) continue;
    m.questionCount.push(t.questions.length);
    for (const q of t.questions) {
      const w = wordsOf(q, lang);
      m.questionWords.push(w.length);
      m.stream.push(...w);
    }
    const body = wordsOf(t.body, lang);
    m.bodyWords.push(body.length);
    m.stream.push(...body);
  }
  return m;
}

export interface GeneratedQuestion {
  text: string;
  lang: Lang;
  expect: string;
}

export interface GeneratedKb {
  kb: KnowledgeBase;
  questions: GeneratedQuestion[];
}

/** `entries` entries in all eight languages, and `questionsPerLang` test questions per language. */
export function generateKb(
  shipped: KnowledgeBase,
  entries: number,
  seed = 13,
  questionsPerLang = 125,
): GeneratedKb {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const models = new Map(LANGUAGES.map((lang) => [lang, model(shipped, lang)]));
  const out = new Map<string, FaqEntry>();
  const questions: GeneratedQuestion[] = [];
  const join = (words: string[], lang: Lang): string => words.join(UNSPACED.has(lang) ? '' : ' ');
  for (let i = 0; i < entries; i++) {
    const id = `gen-${i.toString(36)}-entry`;
    const translations: Partial<Record<Lang, Translation>> = {};
    for (const lang of LANGUAGES) {
      const m = models.get(lang) as LanguageModel;
      // Two words of its own: real words glued in new pairs (names, places, course titles).
      const topic = [`${pick(m.stream)}${pick(m.stream)}`, `${pick(m.stream)}${pick(m.stream)}`];
      const sentence = (length: number): string[] => {
        const words = Array.from({ length: Math.max(2, length) }, () => pick(m.stream));
        words[Math.floor(random() * words.length)] = pick(topic);
        return words;
      };
      const qs = Array.from({ length: pick(m.questionCount) }, () => sentence(pick(m.questionWords)));
      translations[lang] = {
        lang,
        title: join(sentence(3), lang),
        questions: qs.map((q) => join(q, lang)),
        tags: topic,
        body: join(sentence(pick(m.bodyWords)), lang),
        file: `generated/${id}/${lang}.md`,
      };
    }
    out.set(id, { id, category: 'general', translations });
  }
  const ids = [...out.keys()];
  for (const lang of LANGUAGES) {
    for (let n = 0; n < questionsPerLang; n++) {
      const id = pick(ids);
      const t = out.get(id)?.translations[lang];
      if (!t) continue;
      const words = UNSPACED.has(lang) ? wordsOf(pick(t.questions), lang) : pick(t.questions).split(' ');
      const change = random();
      if (change < 0.34 && words.length > 3) words.splice(Math.floor(random() * words.length), 1);
      else if (change < 0.67 && words.length > 1) {
        const a = Math.floor(random() * words.length);
        const b = Math.floor(random() * words.length);
        [words[a], words[b]] = [words[b] as string, words[a] as string];
      } else {
        const at = Math.floor(random() * words.length);
        const w = [...(words[at] ?? '')];
        if (w.length >= 6) w[Math.floor(random() * w.length)] = w[0] ?? '';
        words[at] = w.join('');
      }
      questions.push({ text: join(words, lang), lang, expect: id });
    }
  }
  return {
    kb: { ...shipped, entries: out, offTopic: shipped.offTopic, synonyms: shipped.synonyms },
    questions,
  };
}
