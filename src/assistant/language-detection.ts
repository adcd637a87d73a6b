/**
 * Language of a chat message. Scripts decide at once (kana/kanji → ja, Thai → th, Arabic script →
 * fa); Latin-script text is scored by tinyld (chosen by measurement: see README) restricted to our
 * languages, plus each language's function words, which carry short messages tinyld is unsure of.
 * A short message mixing English words with a few words of another language ("toilet dmn ya",
 * "wifi pwd po", "lich hoc hom nay") is in that language when its words are among that language's
 * hints (`knowledge/language-hints/<lang>.yaml`) more than any other's.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Tinyld from 'tinyld';
import type { Lang } from '../core/languages.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { foldDiacritics } from '../core/text.js';
import type { HintWords } from '../engines/knowledge/language-hints.js';
import { STOP_WORDS } from '../engines/knowledge/stop-words.js';

export interface Detection {
  lang: Lang | undefined;
  /** False for short or ambiguous messages, which then follow the user's preference. */
  confident: boolean;
}

const LATIN_LANGS = ['en', 'id', 'vi', 'tl', 'tr'] as const;
type LatinLang = (typeof LATIN_LANGS)[number];
const FOLDED_STOP = Object.fromEntries(
  LATIN_LANGS.map((l) => [l, new Set([...STOP_WORDS[l]].map((w) => foldDiacritics(w)))]),
) as Record<LatinLang, Set<string>>;
/** Letters that only one of our Latin-script languages uses. */
const VIETNAMESE_LETTERS = /[ăâđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const TURKISH_LETTERS = /[ığşİĞŞ]/u;

const require = createRequire(import.meta.url);
let tinyld: typeof Tinyld | undefined;

/**
 * Loads tinyld now: `vendor/tinyld-ours.cjs`, its normal profile with the data of our eight
 * languages only (same answers, about 12 MB and 0.1 s instead of 50 MB and 0.4 s;
 * `tinyld-restrict.ts` makes it). Importing it builds its n-gram tables, so it is required on the
 * first Latin-script message instead of at start; `koban start` calls this once it is ready, so
 * the first such message does not wait either.
 */
export function loadLanguageDetector(): typeof Tinyld {
  tinyld ??= require(join(PACKAGE_ROOT, 'vendor', 'tinyld-ours.cjs')) as typeof Tinyld;
  return tinyld;
}

const MIN_WORDS = 3;
/** Messages up to this many words may be "mixed": a few English words and a few of another language. */
export const MAX_MIXED_WORDS = 6;
/** A longer message is in a language when at least this many of its words, and this share, are its hints. */
const DENSE_HINTS = 3;
const DENSE_SHARE = 0.3;

/**
 * Words per language that mark a short mixed message (lowercase, without accents): a plain list,
 * or `words` with `weak` ones that count only beside one of `words`.
 */
export type LanguageHints = Partial<Record<Lang, readonly string[] | HintWords>>;

/** A hint list split for counting: single words in a set, phrases apart. */
interface CompiledList {
  single: ReadonlySet<string>;
  phrases: readonly string[];
}
const compiled = new WeakMap<object, CompiledList>();

function compile(list: readonly string[]): CompiledList {
  let c = compiled.get(list);
  if (!c) {
    c = {
      single: new Set(list.filter((h) => !h.includes(' '))),
      phrases: list.filter((h) => h.includes(' ')),
    };
    compiled.set(list, c);
  }
  return c;
}

/** A message's words as the hint lists are matched against them: a set, and joined between spaces. */
interface WordView {
  set: ReadonlySet<string>;
  padded: string;
}

function viewOf(words: readonly string[]): WordView {
  return { set: new Set(words), padded: ` ${words.join(' ')} ` };
}

/** How many of `list` occur in the words (phrases as a whole). */
function occurrences(words: WordView, list: readonly string[]): number {
  const { single, phrases } = compile(list);
  let n = 0;
  for (const w of words.set) if (single.has(w)) n++;
  for (const p of phrases) if (words.padded.includes(` ${p} `)) n++;
  return n;
}

/** How many of a language's hints occur in the words; a lone weak word counts for nothing. */
function hintCount(words: WordView, hints: readonly string[] | HintWords | undefined): number {
  if (!hints) return 0;
  if (isHintList(hints)) return occurrences(words, hints);
  const strong = occurrences(words, hints.words);
  const weak = hints.weak ? occurrences(words, hints.weak) : 0;
  return strong > 0 ? strong + weak : 0;
}

function isHintList(hints: readonly string[] | HintWords): hints is readonly string[] {
  return Array.isArray(hints);
}

/** Each language's hint count in the words (languages with hints only). */
function hintCounts(words: WordView, hints: LanguageHints): Map<Lang, number> {
  const counts = new Map<Lang, number>();
  for (const [lang, list] of Object.entries(hints) as Array<[Lang, readonly string[] | HintWords]>) {
    counts.set(lang, hintCount(words, list));
  }
  return counts;
}

/** The one language whose count is higher than any other's. */
function mostHinted(counts: ReadonlyMap<Lang, number>): Lang | undefined {
  let best: { lang: Lang | undefined; n: number } = { lang: undefined, n: 0 };
  let tie = false;
  for (const [lang, n] of counts) {
    if (n > best.n) {
      best = { lang, n };
      tie = false;
    } else if (n > 0 && n === best.n) tie = true;
  }
  return tie ? undefined : best.lang;
}

/** The one language whose hints occur in the words more often than any other's. */
export function hintedLanguage(words: readonly string[], hints: LanguageHints): Lang | undefined {
  return mostHinted(hintCounts(viewOf(words), hints));
}

export function detectLanguage(text: string, hints: LanguageHints = {}): Detection {
  const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);
  const han = /\p{Script=Han}/u.test(text);
  if (kana || han) return { lang: 'ja', confident: true };
  if (/\p{Script=Thai}/u.test(text)) return { lang: 'th', confident: true };
  if (/\p{Script=Arabic}/u.test(text)) return { lang: 'fa', confident: true };

  const words = (text.toLowerCase().match(/\p{L}+/gu) ?? []).map((w) => foldDiacritics(w));
  if (words.length === 0) return { lang: undefined, confident: false };
  if (VIETNAMESE_LETTERS.test(text)) return { lang: 'vi', confident: words.length >= 2 };

  // Hints count even when the detector knows none of the words ("atm nerde"); in a longer message
  // only when they are dense (Persian typed in Latin letters has no detector, and chat Tagalog
  // often reads as English to it).
  const counts = hintCounts(viewOf(words), hints);
  const count = (lang: Lang | undefined): number => (lang === undefined ? 0 : (counts.get(lang) ?? 0));
  const hinted = mostHinted(counts);
  const n = count(hinted);
  const dense = n >= DENSE_HINTS && n >= DENSE_SHARE * words.length;
  const mixed = hinted !== undefined && hinted !== 'en' && (words.length <= MAX_MIXED_WORDS || dense);
  // The detector (tinyld, most of this function's time) is not asked when its answer cannot change
  // the outcome below: too few words for a confident guess, or two or more hints of one language
  // and none of any other non-English one, which every guess yields to.
  if (
    mixed &&
    (words.length < MIN_WORDS ||
      (n >= 2 && LATIN_LANGS.every((l) => l === hinted || l === 'en' || count(l) === 0)))
  ) {
    return { lang: hinted, confident: true };
  }

  const scores = new Map<LatinLang, number>(LATIN_LANGS.map((l) => [l, 0]));
  for (const { lang, accuracy } of loadLanguageDetector().detectAll(text, { only: [...LATIN_LANGS] })) {
    if (scores.has(lang as LatinLang)) scores.set(lang as LatinLang, accuracy);
  }
  for (const lang of LATIN_LANGS) {
    const hits = words.filter((w) => FOLDED_STOP[lang].has(w)).length;
    scores.set(lang, (scores.get(lang) ?? 0) + (0.6 * hits) / words.length);
  }
  if (TURKISH_LETTERS.test(text)) scores.set('tr', (scores.get('tr') ?? 0) + 0.5);
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const sure = best !== undefined && best[1] > 0;
  const margin = (best?.[1] ?? 0) - (second?.[1] ?? 0);
  const confident = sure && words.length >= MIN_WORDS && (best?.[1] ?? 0) >= 0.35 && margin >= 0.15;
  if (mixed) {
    // A confident guess of another language yields only to two or more hints it has none of.
    const outweighs = !(confident && best?.[0] !== 'en') || (n >= 2 && count(best?.[0]) === 0);
    if (outweighs) return { lang: hinted, confident: true };
  }
  if (!sure || !best) return { lang: undefined, confident: false };
  return { lang: best[0], confident };
}
