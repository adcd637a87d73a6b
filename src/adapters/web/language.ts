/** The page's language: `?lang=`, else the best of `Accept-Language`, else English. */
import { DEFAULT_LANG, isLang, type Lang, normalizeLocale } from '../../core/languages.js';

/** The first supported language of an `Accept-Language` header, by quality. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const lang = normalizeLocale(r.tag);
    if (lang) return lang;
  }
  return undefined;
}

export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(query)) return query;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANG;
}
