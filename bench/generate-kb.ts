/**
 * A deterministic, seeded generator of large knowledge bases for `npm run bench`: N entries, each
 * translated into all eight languages, shaped so that its vocabulary grows the way a real
 * knowledge base's does.
 *
 * - Running text: each question, title and body is a walk over the word pairs of the language's
 *   own running text in the shipped knowledge base (the next word is one that follows the current
 *   one somewhere in the shipped text; a word with no follower, and a coin flip of
 *   RESTART_CHANCE, restart at a shipped word). So vocabulary, word frequencies, scripts and
 *   neighbouring words (Vietnamese syllable pairs, Japanese and Thai character groups across word
 *   boundaries) are real, instead of every random word pair being new.
 * - Identifying words: real knowledge bases name things (places, courses, forms) with words of
 *   their own, but their vocabulary grows sub-linearly with size (Heaps' law, V ~ K n^beta with
 *   beta 0.4-0.6 for real text). Each language has a lexicon of LEXICON_K x entries^LEXICON_BETA
 *   invented words (two shipped words glued together), and each entry draws TOPIC_WORDS of them
 *   with Zipf weights (rank^-ZIPF_S: a few are common, most rare), a combination no other entry
 *   has. Every question carries two of its entry's topic words, the title and tags all of them,
 *   the body all of them: an entry is told apart by a combination of shared words, as a real one
 *   is ("koban visit request" vs "koban visit cancel").
 * - Question counts: the shipped entries have 20-34 phrasings per language, written by hand for a
 *   52-entry base (the classifier learns from them). A 20,000-entry base written that way would hold
 *   half a million phrasings per language; large FAQ collections have a title and a handful of
 *   alternate phrasings per answer. Each entry gets a QUESTION_SHARE of a count drawn from the
 *   shipped distribution (rounded up: 5-9 per language).
 * - Test questions: an entry's own question with one word dropped, two swapped or a letter
 *   changed (as before the vocabulary change, so top-1 stays comparable).
 *
 * Before the change (two random shipped words glued per entry, 2 per entry and language, one in
 * each question; random word sequences; the shipped question counts), distinct terms grew linearly
 * with entries: about 1.3 million per Japanese or Thai index at 2,000 entries.
 */
import { LANGUAGES, type Lang } from '../src/core/languages.js';
import { seededRandom } from '../src/core/seeded-random.js';
import type { FaqEntry, Translation } from '../src/engines/knowledge/faq-entry.js';
import type { KnowledgeBase } from '../src/engines/knowledge/loader.js';

const UNSPACED: ReadonlySet<Lang> = new Set<Lang>(['ja', 'th']);

/** Heaps' law lexicon of invented words per language: LEXICON_K x entries^LEXICON_BETA words. */
export const LEXICON_K = 30;
export const LEXICON_BETA = 0.5;
/** Zipf exponent of how often each lexicon word is chosen as a topic word (rank^-ZIPF_S). */
export const ZIPF_S = 1;
/** Invented words per entry and language; each question carries two of them. */
export const TOPIC_WORDS = 3;
/** Share of a shipped entry's question count that a generated entry gets (rounded up). */
export const QUESTION_SHARE = 0.25;
/** Chance that a walk over word pairs restarts at a random shipped word. */
const RESTART_CHANCE = 0.15;

interface LanguageModel {
  /** Running words of the shipped text (repeats kept, so sampling follows real frequencies). */
  stream: string[];
  /** The words that follow each word in the shipped text (repeats kept). */
  next: Map<string, string[]>;
  questionWords: number[];
  bodyWords: number[];
  questionCount: number[];
}

function wordsOf(text: string, lang: Lang): string[] {
  const seg = new Intl.Segmenter(lang === 'tl' ? 'fil' : lang, { granularity: 'word' });
  return [...seg.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
}

function model(kb: KnowledgeBase, lang: Lang): LanguageModel {
  const m: LanguageModel = {
    stream: [],
    next: new Map(),
    questionWords: [],
    bodyWords: [],
    questionCount: [],
  };
  const add = (words: string[]): void => {
    m.stream.push(...words);
    for (let i = 0; i + 1 < words.length; i++) {
      const w = words[i] as string;
      const list = m.next.get(w);
      if (list) list.push(words[i + 1] as string);
      else m.next.set(w, [words[i + 1] as string]);
    }
  };
  for (const entry of kb.entries.values()) {
    const t = entry.translations[lang];
    if (!t) continue;
    m.questionCount.push(t.questions.length);
    for (const q of t.questions) {
      const w = wordsOf(q, lang);
      m.questionWords.push(w.length);
      add(w);
    }
    const body = wordsOf(t.body, lang);
    m.bodyWords.push(body.length);
    add(body);
  }
  return m;
}

/** Cumulative Zipf weights of `n` ranks, for sampling by binary search. */
function zipfCumulative(n: number): Float64Array {
  const out = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += 1 / (r + 1) ** ZIPF_S;
    out[r] = sum;
  }
  return out;
}

/** The size of each language's invented lexicon for a base of `entries` entries. */
export function lexiconSize(entries: number): number {
  return Math.max(TOPIC_WORDS * 4, Math.ceil(LEXICON_K * entries ** LEXICON_BETA));
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
  const size = lexiconSize(entries);
  const cumulative = zipfCumulative(size);
  const zipf = (): number => {
    const x = random() * (cumulative[size - 1] as number);
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Each language's lexicon: distinct glued pairs of shipped words, in rank order.
  const lexicons = new Map(
    LANGUAGES.map((lang) => {
      const m = models.get(lang) as LanguageModel;
      const words = new Set<string>();
      for (let tries = 0; words.size < size && tries < size * 20; tries++)
        words.add(`${pick(m.stream)}${pick(m.stream)}`);
      return [lang, [...words]];
    }),
  );
  const out = new Map<string, FaqEntry>();
  const questions: GeneratedQuestion[] = [];
  const join = (words: string[], lang: Lang): string => words.join(UNSPACED.has(lang) ? '' : ' ');
  const taken = new Map(LANGUAGES.map((lang) => [lang, new Set<string>()]));
  for (let i = 0; i < entries; i++) {
    const id = `gen-${i.toString(36)}-entry`;
    const translations: Partial<Record<Lang, Translation>> = {};
    for (const lang of LANGUAGES) {
      const m = models.get(lang) as LanguageModel;
      const lexicon = lexicons.get(lang) as string[];
      const used = taken.get(lang) as Set<string>;
      // TOPIC_WORDS distinct lexicon words, a combination no earlier entry has (if one is found).
      let ranks: number[] = [];
      for (let tries = 0; tries < 50; tries++) {
        const chosen = new Set<number>();
        while (chosen.size < Math.min(TOPIC_WORDS, lexicon.length)) chosen.add(zipf());
        ranks = [...chosen].sort((a, b) => a - b);
        if (!used.has(ranks.join(','))) break;
      }
      used.add(ranks.join(','));
      const topic = ranks.map((r) => lexicon[r] as string);
      const walk = (length: number): string[] => {
        const words: string[] = [pick(m.stream)];
        while (words.length < length) {
          const followers = m.next.get(words[words.length - 1] as string);
          words.push(followers && random() >= RESTART_CHANCE ? pick(followers) : pick(m.stream));
        }
        return words;
      };
      // A sentence with `carry` of the topic words put in at random places.
      const sentence = (length: number, carry: string[]): string[] => {
        const words = walk(Math.max(2, length));
        for (const word of carry) words.splice(Math.floor(random() * (words.length + 1)), 0, word);
        return words;
      };
      const twoOf = (): string[] => {
        const skip = Math.floor(random() * topic.length);
        return topic.filter((_, k) => k !== skip).slice(0, 2);
      };
      const count = Math.max(2, Math.ceil(pick(m.questionCount) * QUESTION_SHARE));
      const qs = Array.from({ length: count }, () => sentence(pick(m.questionWords) - 2, twoOf()));
      translations[lang] = {
        lang,
        title: join(sentence(2, topic), lang),
        questions: qs.map((q) => join(q, lang)),
        tags: topic,
        body: join(sentence(pick(m.bodyWords), topic), lang),
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
