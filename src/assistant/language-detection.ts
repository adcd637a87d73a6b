/**
 * Language of a chat message. Scripts decide at once (kana/kanji → ja, Thai → th, Arabic script →
 * fa); Latin-script text is scored by tinyld (chosen by measurement: see README) restricted to our
 * languages, plus each language's function words, which carry short messages tinyld is unsure of.
 */
import { detectAll } from 'tinyld';
import type { Lang } from '../core/languages.js';
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

const MIN_WORDS = 3;

export function detectLanguage(text: string): Detection {
  const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);
  const han = /\p{Script=Han}/u.test(text);
  if (kana || han) return { lang: 'ja', confident: true };
  if (/\p{Script=Thai}/u.test(text)) return { lang: 'th', confident: true };
  if (/\p{Script=Arabic}/u.test(text)) return { lang: 'fa', confident: true };

  const words = (text.toLowerCase().match(/\p{L}+/gu) ?? []).map((w) => foldDiacritics(w));
  if (words.length === 0) return { lang: undefined, confident: false };
  if (VIETNAMESE_LETTERS.test(text)) return { lang: 'vi', confident: words.length >= 2 };

  const scores = new Map<LatinLang, number>(LATIN_LANGS.map((l) => [l, 0]));
  for (const { lang, accuracy } of detectAll(text, { only: [...LATIN_LANGS] })) {
    if (scores.has(lang as LatinLang)) scores.set(lang as LatinLang, accuracy);
  }
  for (const lang of LATIN_LANGS) {
    const hits = words.filter((w) => FOLDED_STOP[lang].has(w)).length;
    scores.set(lang, (scores.get(lang) ?? 0) + (0.6 * hits) / words.length);
  }
  if (TURKISH_LETTERS.test(text)) scores.set('tr', (scores.get('tr') ?? 0) + 0.5);
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] <= 0) return { lang: undefined, confident: false };
  const margin = best[1] - (second?.[1] ?? 0);
  return { lang: best[0], confident: words.length >= MIN_WORDS && best[1] >= 0.35 && margin >= 0.15 };
}
