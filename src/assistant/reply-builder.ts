import { type Lang, RTL_LANGS } from '../core/languages.js';
import type { Reply } from '../core/reply.js';

/** A reply with the defaults filled in (direction from the language, empty lists). */
export function makeReply(fields: Partial<Reply> & Pick<Reply, 'intent' | 'lang' | 'text'>): Reply {
  return {
    notes: [],
    suggestions: [],
    buttons: [],
    ...fields,
    dir: RTL_LANGS.has(fields.lang) ? 'rtl' : 'ltr',
  };
}

/** A language's name in another language ("タイ語" for th in ja), from ICU. */
export function languageName(of: Lang, inLang: Lang): string {
  const code = of === 'tl' ? 'fil' : of;
  try {
    return new Intl.DisplayNames([inLang === 'tl' ? 'fil' : inLang], { type: 'language' }).of(code) ?? of;
  } catch {
    return of;
  }
}
