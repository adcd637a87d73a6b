/**
 * Multilingual FAQ search: the user's language first, then every other language when that one has
 * no confident match, answering in the user's language where a translation exists, else English.
 */
import { LANGUAGES, type Lang } from '../../core/languages.js';
import type { FaqEntry, Translation } from './faq-entry.js';
import { LanguageIndex } from './language-index.js';
import type { KnowledgeBase } from './loader.js';

/**
 * Below this confidence the bot does not guess. Confidence (0..1) is the rarity-weighted share of
 * the question's words (after stop words, stemming and synonyms) found in the entry, averaged over
 * the whole entry and over its questions/title/tags, plus a bonus for lunr's BM25 rank in its
 * language; a match found through another language's index counts SCORING.crossLanguage of that.
 * Tuned with `koban eval` on test/dev-set (see README, "Answer quality").
 */
export const CONFIDENCE_THRESHOLD = 0.57;
/** Entries under this confidence are not even offered as "did you mean" suggestions. */
export const SUGGESTION_FLOOR = 0.2;
export const MAX_SUGGESTIONS = 3;
/** How confidence is put together; exported so `koban eval` experiments can vary it. */
export const SCORING = {
  /** Weight of coverage over the whole entry; the rest is coverage of questions, title and tags. */
  wholeEntry: 0.3,
  /** Up to this much is added for lunr's BM25 rank within its language. */
  rankBonus: 0.5,
  /** A match through another language's index counts this much. */
  crossLanguage: 0.8,
};

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

  /** Searches every language's index; the user's own language counts fully, others are discounted. */
  search(text: string, lang: Lang): FaqResult {
    const best = new Map<string, { confidence: number; lang: Lang }>();
    for (const [indexLang, index] of this.indexes) {
      const hits = index.search(text, 8);
      const top = Math.max(0, ...hits.map((h) => h.score)) || 1;
      for (const hit of hits) {
        const f = hit.features;
        const { wholeEntry, rankBonus, crossLanguage } = SCORING;
        const raw =
          wholeEntry * f.coverage + (1 - wholeEntry) * f.leadCoverage + rankBonus * (hit.score / top);
        const confidence = Math.min(1, raw / (1 + rankBonus)) * (indexLang === lang ? 1 : crossLanguage);
        const seen = best.get(hit.entryId);
        if (!seen || confidence > seen.confidence) best.set(hit.entryId, { confidence, lang: indexLang });
      }
    }
    const ranked = [...best.entries()].sort((a, b) => b[1].confidence - a[1].confidence);
    const matches = ranked.flatMap(([entryId, { confidence, lang: matchedLang }]) => {
      const m = this.show(entryId, lang);
      return m ? [{ ...m, confidence: Math.round(confidence * 1000) / 1000, matchedLang }] : [];
    });
    const [first, ...rest] = matches;
    const confident = first !== undefined && first.confidence >= CONFIDENCE_THRESHOLD;
    const suggestions = (confident ? rest : matches)
      .filter((m) => m.confidence >= SUGGESTION_FLOOR)
      .slice(0, MAX_SUGGESTIONS);
    return { ...(confident ? { answer: first } : {}), suggestions, confidence: first?.confidence ?? 0 };
  }
}
