/** Text clean-up shared by every layer that reads user or file text. */

// C0/C1 controls except tab and newline, zero-width characters, bidi embeddings/overrides/isolates,
// the BOM and soft hyphen. ZWNJ (U+200C) is kept: Persian spelling needs it.
const INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\u200D/gu;

/** Replaces lone surrogates, removes invisible and control characters, trims and folds runs of spaces. */
export function sanitizeText(input: string): string {
  return input
    .toWellFormed()
    .replace(/\uFFFD/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/[ \t\u00A0\u3000]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** True when the text holds at least one letter or digit (not only emoji, punctuation or symbols). */
export function hasWordCharacters(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** Removes accents from Latin letters: "Tiếng Việt" → "Tieng Viet", "kıyafet" → "kiyafet". Other scripts are untouched (Thai vowels are marks too). */
export function foldDiacritics(text: string): string {
  // ASCII text has nothing to fold (most chat words): skip the normalisations and the scan.
  if (ASCII_ONLY.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/ı/g, 'i')
    .normalize('NFC');
}

/** Counts words the way a reader would: script runs without spaces count per character group. */
export function countWords(text: string): number {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  let n = 0;
  for (const s of segmenter.segment(text)) if (s.isWordLike) n++;
  return n;
}

/** `[...s].length` (code points; a lone surrogate counts as one) without building the array. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Arabic-Indic, Persian and Thai digits as ASCII ("۱۲" → "12"). */
export function asciiDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59]/g, (d) => {
    const code = d.charCodeAt(0);
    const base = code >= 0x0e50 ? 0x0e50 : code >= 0x06f0 ? 0x06f0 : 0x0660;
    return String(code - base);
  });
}
