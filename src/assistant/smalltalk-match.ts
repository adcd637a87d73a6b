import { LANGUAGES, type Lang } from '../core/languages.js';
import { foldDiacritics } from '../core/text.js';
import { POLITE_FILLERS, SMALLTALK, type SmalltalkKind } from './smalltalk-phrases.js';

export interface SmalltalkMatch {
  kind: SmalltalkKind;
  /** The language the phrase belongs to (English phrases are used everywhere, so they say little). */
  lang: Lang;
}

const PRIORITY: SmalltalkKind[] = ['omawari', 'thanks', 'bye', 'greeting'];
const UNSPACED = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\p{Script=Thai}]/u;

const PHRASES = LANGUAGES.flatMap((lang) =>
  PRIORITY.flatMap((kind) => (SMALLTALK[lang][kind] ?? []).map((phrase) => ({ phrase, kind, lang }))),
).sort((a, b) => b.phrase.length - a.phrase.length);

function normalize(text: string): string {
  return ` ${foldDiacritics(text.toLowerCase())
    .replace(/[^\p{L}\p{N}\p{M}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** The message is only a greeting, thanks or goodbye (possibly with fillers like "po" or "ครับ"). */
export function matchSmalltalk(text: string): SmalltalkMatch | undefined {
  let rest = normalize(text);
  if (rest.trim().length === 0 || rest.length > 80) return undefined;
  const found: SmalltalkMatch[] = [];
  for (const { phrase, kind, lang } of PHRASES) {
    const needle = UNSPACED.test(phrase) ? phrase : ` ${phrase} `;
    if (!rest.includes(needle)) continue;
    rest = rest.split(needle).join(' ');
    found.push({ kind, lang });
  }
  if (found.length === 0) return undefined;
  for (const filler of POLITE_FILLERS) {
    rest = UNSPACED.test(filler) ? rest.split(filler).join(' ') : rest.split(` ${filler} `).join(' ');
  }
  if (rest.trim().length > 0) return undefined;
  const kind = PRIORITY.find((k) => found.some((f) => f.kind === k)) ?? 'greeting';
  const lang = found.find((f) => f.lang !== 'en')?.lang ?? found[0]?.lang ?? 'en';
  return { kind, lang };
}
