/** Text folding shared by the schedule parsers: case, accents, digits, Persian letters, punctuation. */
import type { Lang } from '../../core/languages.js';

/** Languages written without spaces between words: phrases match anywhere inside the text. */
export const UNSPACED: ReadonlySet<Lang> = new Set<Lang>(['ja', 'th']);

const DIGIT_BLOCKS = [0x06f0, 0x0660, 0x0e50, 0xff10];

/**
 * Folds text for matching: "Thứ Hai" → "thu hai", "۲۰ ژانویه" → "20 ژانویه", "Ocak'ta" → "ocakta",
 * "（月）" → "(月)". Accents are dropped only from Latin letters (Thai and kana marks carry meaning).
 */
export function fold(text: string): string {
  return foldMemo.get(text);
}

/**
 * Remembers the texts a function folded lately (up to `FOLD_MEMO_SIZE` of up to
 * `FOLD_MEMO_MAX_LENGTH` characters, and the last `LONG_MEMO_SIZE` longer ones): a message is folded
 * by each parser in turn (gate, date parser, schedule words, session matcher, follow-ups), and the
 * word lists' phrases on every message.
 */
class FoldMemo {
  private readonly done = new Map<string, string>();
  /** Long texts (a whole chat message, its clauses): few, but each folded many times in a turn. */
  private readonly long = new Map<string, string>();

  constructor(private readonly fn: (text: string) => string) {}

  get(text: string): string {
    const memo = text.length > FOLD_MEMO_MAX_LENGTH ? this.long : this.done;
    let out = memo.get(text);
    if (out === undefined) {
      if (memo.size >= (memo === this.long ? LONG_MEMO_SIZE : FOLD_MEMO_SIZE)) memo.clear();
      out = this.fn(text);
      memo.set(text, out);
    }
    return out;
  }
}

const FOLD_MEMO_SIZE = 512;
const FOLD_MEMO_MAX_LENGTH = 300;
const LONG_MEMO_SIZE = 16;

const lettersMemo = new FoldMemo(foldLettersOf);
const foldMemo = new FoldMemo(foldText);

/** ASCII letters and digits in words one space apart: what foldText's replacements leave as it is. */
const PLAIN_WORDS = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;

function foldText(text: string): string {
  if (PLAIN_WORDS.test(text)) return text.toLowerCase();
  return foldLetters(text)
    .replace(/(\p{Script=Latin})['’]s(?=\s|$)/gu, '$1')
    .replace(/['’`‘]/g, '')
    .replace(/(\p{Script=Latin})\.(?=\s|$)/gu, '$1 ')
    .replace(/[^\p{L}\p{N}\p{M}\s/:.\-()]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Like `fold`, but keeps punctuation (for matching regular expressions written with it). */
export function foldLetters(text: string): string {
  return lettersMemo.get(text);
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/;

function foldLettersOf(text: string): string {
  // ASCII text: every step below but lowercasing leaves it as it is.
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  let s = text.normalize('NFKC');
  s = s.replace(/[\u06f0-\u06f9\u0660-\u0669\u0e50-\u0e59]/gu, (d) => {
    const code = d.codePointAt(0) ?? 0;
    const base = DIGIT_BLOCKS.find((b) => code >= b && code <= b + 9) ?? 0;
    return String(code - base);
  });
  s = s
    .toLowerCase()
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/\u200c/g, ' ')
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/đ/g, 'd')
    .replace(/ı/g, 'i');
  return s;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Endings glued to words, per language: Turkish cases ("cumaya"), Indonesian "-nya", Persian "ی". */
const SUFFIX: Partial<Record<Lang, string>> = {
  tr: '\\p{L}*',
  id: '(?:nya|ku|mu|lah|kah)?',
  fa: '(?:ی|ای|ها|های|ش|ت)?',
};

const compiled = new Map<string, RegExp>();

/**
 * A compiled (non-global, so stateless) regular expression, built once per source: the schedule
 * parsers match the same word lists against every message.
 */
export function cachedRegExp(source: string, flags = 'u'): RegExp {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    if (compiled.size >= 20_000) compiled.clear();
    re = new RegExp(source, flags);
    compiled.set(key, re);
  }
  return re;
}

const phraseCache = new Map<Lang, Map<string, RegExp>>();

/** A regular expression that finds `phrase` (already folded) as whole words, or anywhere in unspaced text. */
export function phraseRegExp(phrase: string, lang: Lang): RegExp {
  let byPhrase = phraseCache.get(lang);
  if (!byPhrase) {
    byPhrase = new Map();
    phraseCache.set(lang, byPhrase);
  }
  let re = byPhrase.get(phrase);
  if (!re) {
    if (byPhrase.size >= 20_000) byPhrase.clear();
    re = buildPhraseRegExp(phrase, lang);
    byPhrase.set(phrase, re);
  }
  return re;
}

function buildPhraseRegExp(phrase: string, lang: Lang): RegExp {
  const body = escapeRegExp(phrase);
  if (
    UNSPACED.has(lang) ||
    /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(phrase)
  ) {
    return new RegExp(body, 'u');
  }
  return new RegExp(`(?<=^|[\\s(])${body}${SUFFIX[lang] ?? ''}(?=[\\s(]|$)`, 'u');
}

/** Finds `phrase` in `text`; returns the text with the match blanked out, or undefined. */
export function take(text: string, phrase: string, lang: Lang): string | undefined {
  // Every pattern holds the phrase literally: most phrases are absent, and this test is far cheaper.
  if (!text.includes(phrase)) return undefined;
  const m = phraseRegExp(phrase, lang).exec(text);
  if (!m) return undefined;
  return `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
}
