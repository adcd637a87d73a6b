import type { Lang } from '../core/languages.js';

export { makeReply } from '../core/reply.js';

/** A language's name in another language ("タイ語" for th in ja), from ICU. */
export function languageName(of: Lang, inLang: Lang): string {
  const code = of === 'tl' ? 'fil' : of;
  try {
    return new Intl.DisplayNames([inLang === 'tl' ? 'fil' : inLang], { type: 'language' }).of(code) ?? of;
  } catch {
    return of;
  }
}
