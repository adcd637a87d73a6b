/**
 * Multilingual FAQ search: the user's language first, then every other language when that one has
 * no confident match, answering in the user's language where a translation exists, else English.
 */
import { LANGUAGES, type Lang } from '../../core/languages.js';
import type { FaqEntry, Translation } from './faq-entry.js';
import { type IndexHit, LanguageIndex } from './language-index.js';
import type { KnowledgeBase } from './loader.js';

/**
 * Below this confidence the bot does not guess. Confidence is the rarity-weighted share of the
 * question's words (after stop words, stemming and synonyms) that the entry contains, averaged
 * over the whole entry and its questions/title/tags. Tuned with `koban eval` on test/dev-set.
 */
export const CONFIDENCE_THRESHOLD = 0.5;
/** Entries under this confidence are not even offered as "did you mean" suggestions. */
export const SUGGESTION_FLOOR = 0.2;
export const MAX_SUGGESTIONS = 3;

export interface FaqMatch {
  entry: FaqEntry;
  /** The translation shown: the user's language, or English when there is none. */
  translation: Translation;
  confidence: number;
  /** The language whose index matched (differs from the user's for cross-language matches). */
  matchedLang: Lang;
}

export interface FaqResult {
  /** The answer, when confident. */
  answer?: FaqMatch;
  /** Up to three other likely entries (or the only candidates, when not confident). */
  suggestions: FaqMatch[];
  /** Best confidence seen, confident or not. */
  confidence: number;
}

export class FaqEngine {
  private readonly indexes = new Map<Lang, LanguageIndex>();

  constructor(private readonly kb: KnowledgeBase) {
    for (const lang of LANGUAGES) {
      this.indexes.set(lang, new LanguageIndex(lang, kb.entries.values(), kb.synonyms[lang] ?? []));
    }
  }

  get entryCount(): number {
    return this.kb.entries.size;
  }

  /** The entry's text for `lang`, falling back to English. */
  show(entryId: string, lang: Lang): FaqMatch | undefined {
    const entry = this.kb.entries.get(entryId);
    const translation = entry?.translations[lang] ?? entry?.translations.en;
    if (!entry || !translation) return undefined;
    return { entry, translation, confidence: 1, matchedLang: translation.lang };
  }

  search(text: string, lang: Lang): FaqResult {
    const hits = this.rank(this.indexes.get(lang)?.search(text) ?? []);
    let best = hits[0];
    if (!best || best.confidence < CONFIDENCE_THRESHOLD) {
      const all = [...hits];
      for (const [other, index] of this.indexes) if (other !== lang) all.push(...index.search(text));
      const merged = new Map<string, IndexHit>();
      for (const hit of this.rank(all)) if (!merged.has(hit.entryId)) merged.set(hit.entryId, hit);
      const ranked = [...merged.values()];
      best = ranked[0];
      hits.splice(0, hits.length, ...ranked);
    }
    const matches = hits.flatMap((h) => {
      const m = this.show(h.entryId, lang);
      return m ? [{ ...m, confidence: h.confidence, matchedLang: h.lang }] : [];
    });
    const confident = best !== undefined && best.confidence >= CONFIDENCE_THRESHOLD;
    const [first, ...rest] = matches;
    const suggestions = (confident ? rest : matches)
      .filter((m) => m.confidence >= SUGGESTION_FLOOR)
      .slice(0, MAX_SUGGESTIONS);
    return {
      ...(confident && first ? { answer: first } : {}),
      suggestions,
      confidence: best?.confidence ?? 0,
    };
  }

  /** Confidence first; lunr's score (relative to the best) breaks near-ties. */
  private rank(hits: IndexHit[]): IndexHit[] {
    const top = Math.max(0, ...hits.map((h) => h.score)) || 1;
    const key = (h: IndexHit): number => h.confidence + 0.1 * (h.score / top);
    return [...hits].sort((a, b) => key(b) - key(a));
  }
}
