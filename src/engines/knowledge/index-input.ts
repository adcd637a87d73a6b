/**
 * What one language's index is built from, and nothing more: the incremental rebuild (see
 * parallel-build.ts's buildWithCache) keys each language's saved index by a hash of exactly this
 * input and the engine's code, and every build (this thread, the build worker, a damaged snapshot
 * rebuilt) builds from it, so no build can read anything its key does not cover: an input it does
 * not get is one it cannot depend on, and a saved index is reused only when its input is the same.
 */
import { createHash } from 'node:crypto';
import type { Lang } from '../../core/languages.js';
import type { FaqEntry, Translation } from './faq-entry.js';
import { type GlossaryConcept, searchGlossary } from './glossary.js';
import { LanguageIndex, MIXED_WITH_ENGLISH } from './language-index.js';
import type { KnowledgeBase } from './loader.js';
import type { SynonymGroups } from './synonyms.js';

/** An entry as a language's index sees it: its id and the translations that index reads. */
export type IndexedEntry = Pick<FaqEntry, 'id' | 'translations'>;

/** Everything `new LanguageIndex(lang, …)` is given. */
export interface LanguageIndexInput {
  lang: Lang;
  entries: IndexedEntry[];
  synonyms: SynonymGroups;
  offTopic: string[];
  errands: string[];
  glossary: GlossaryConcept[];
}

/** A translation with only the fields an index reads (the file name is not one of them). */
function indexed(t: Translation, withBody: boolean): Translation {
  return {
    lang: t.lang,
    title: t.title,
    questions: t.questions,
    tags: t.tags,
    body: withBody ? t.body : '',
    file: '',
  };
}

/**
 * The input of `lang`'s index in `kb`: the entries translated into it (in the knowledge base's
 * order) with that translation, and for Tagalog their English questions, title and tags (the
 * English answer is left out: an edit to it does not change the Tagalog index); the language's
 * synonyms, off-topic examples and errands; every search glossary concept (a concept's number is
 * its place among all of them).
 */
export function languageIndexInput(kb: KnowledgeBase, lang: Lang): LanguageIndexInput {
  const entries: IndexedEntry[] = [];
  for (const entry of kb.entries.values()) {
    const t = entry.translations[lang];
    if (!t) continue;
    const translations: IndexedEntry['translations'] = { [lang]: indexed(t, true) };
    const en = MIXED_WITH_ENGLISH.has(lang) ? entry.translations.en : undefined;
    if (en) translations.en = indexed(en, false);
    entries.push({ id: entry.id, translations });
  }
  return {
    lang,
    entries,
    synonyms: kb.synonyms[lang] ?? [],
    offTopic: kb.offTopic[lang] ?? [],
    errands: kb.errands?.[lang] ?? [],
    glossary: searchGlossary(kb.glossary ?? []),
  };
}

/** Builds the index of `input.lang` from its input. */
export function buildFromInput(input: LanguageIndexInput): LanguageIndex {
  return new LanguageIndex(
    input.lang,
    input.entries,
    input.synonyms,
    input.offTopic,
    undefined,
    input.errands,
    input.glossary,
  );
}

/**
 * The key of a language's saved index: a hash of its whole input (each entry in turn, so a large
 * base is never one string) and of `code` (the engine's code and format, see index-cache.ts).
 */
export function inputKey(input: LanguageIndexInput, code: string): string {
  const hash = createHash('sha256').update(`${code}\n${input.lang}\n`);
  for (const entry of input.entries) hash.update(JSON.stringify(entry)).update('\n');
  hash.update(JSON.stringify([input.synonyms, input.offTopic, input.errands, input.glossary]));
  return hash.digest('hex').slice(0, 32);
}
