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

/** Words per language that mark a short mixed message (lowercase, without accents). */
export type LanguageHints = Partial<Record<Lang, readonly string[]>>;

/** How many of `list` occur in the words (phrases as a whole). */
function hintCount(words: readonly string[], list: readonly string[]): number {
  return hintsIn(` ${words.join(' ')} `, list);
}

/** How many of `list` occur in `padded` (the words joined by spaces, a space at each end). */
function hintsIn(padded: string, list: readonly string[]): number {
  let n = 0;
  for (const hint of list) {
    const at = padded.indexOf(hint);
    if (at >= 0 && padded.includes(` ${hint} `, Math.max(0, at - 1))) n++;
  }
  return n;
}

/** The one language whose hints occur in the words more often than any other's. */
export function hintedLanguage(words: readonly string[], hints: LanguageHints): Lang | undefined {
  let best: { lang: Lang | undefined; n: number } = { lang: undefined, n: 0 };
  let tie = false;
  const padded = ` ${words.join(' ')} `;
  for (const [lang, list] of Object.entries(hints) as Array<[Lang, readonly string[]]>) {
    const n = hintsIn(padded, list);
    if (n > best.n) {
      best = { lang, n };
      tie = false;
    } else if (n > 0 && n === best.n) tie = true;
  }
  return tie ? undefined : best.lang;
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
  // Hints count even when the detector knows none of the words ("atm nerde").
  if (words.length <= MAX_MIXED_WORDS) {
    const hinted = hintedLanguage(words, hints);
    // A confident guess of another language yields only to two or more hints it has none of.
    const outweighs =
      !(confident && best?.[0] !== 'en') ||
      (hinted !== undefined &&
        hintCount(words, hints[hinted] ?? []) >= 2 &&
        hintCount(words, (best && hints[best[0]]) ?? []) === 0);
    if (hinted && hinted !== 'en' && outweighs) return { lang: hinted, confident: true };
  }
  if (!sure || !best) return { lang: undefined, confident: false };
  return { lang: best[0], confident };
}
