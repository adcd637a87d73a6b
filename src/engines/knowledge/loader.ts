/**
 * Reads and validates the whole knowledge tree. Every problem is collected (never thrown), so
 * `koban kb validate` can print them all at once and a running bot can keep its last good copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { isLang, LANGUAGES, type Lang } from '../../core/languages.js';
import { sanitizeText } from '../../core/text.js';
import {
  type CenterData,
  contactValues,
  fillPlaceholders,
  parseCenter,
  parseConfirmed,
  unconfirmedPaths,
} from './center.js';
import { ENTRY_ID, type FaqEntry, frontMatterSchema, MIN_QUESTIONS, type Translation } from './faq-entry.js';
import { type GlossaryConcept, readGlossary } from './glossary.js';
import { type HintWords, languageHintsSchema } from './language-hints.js';
import { offTopicSchema } from './off-topic.js';
import { ProblemList, zodIssues } from './problems.js';
import { allowedFor, type PublicFacts, publicFactsSchema, unsourcedSpecifics } from './public-facts.js';
import { type SmalltalkPhrasings, smalltalkSchema } from './smalltalk.js';
import { type EntrySource, SOURCE_FILE, type SourceNote, sourceNoteSchema } from './sources.js';
import { type SynonymGroups, synonymsSchema } from './synonyms.js';

export interface KnowledgeBase {
  dir: string;
  center: CenterData;
  entries: Map<string, FaqEntry>;
  synonyms: Partial<Record<Lang, SynonymGroups>>;
  /** Messages the bot must not answer, per language (`knowledge/off-topic/<lang>.yaml`). */
  offTopic: Partial<Record<Lang, string[]>>;
  /** Errands for another office (the off-topic files' `errands`, all categories), per language. */
  errands?: Partial<Record<Lang, string[]>>;
  /** Small talk, help and "about the bot" phrasings per language (`knowledge/smalltalk/<lang>.yaml`). */
  smalltalk: Partial<Record<Lang, SmalltalkPhrasings>>;
  /** Words that mark a short mixed message as a language (`knowledge/language-hints/<lang>.yaml`). */
  languageHints: Partial<Record<Lang, HintWords>>;
  /** Concepts and their words per language (`knowledge/glossary/*.yaml`). */
  glossary: GlossaryConcept[];
  /** center.yaml values the operator has not confirmed yet, with the answer files that use each. */
  unconfirmed: UnconfirmedValue[];
}

export interface UnconfirmedValue {
  path: string;
  usedBy: string[];
}

/** What loading needs besides the file: center.yaml, the source notes, and where paths are used. */
interface LoadContext {
  /** Undefined when center.yaml is missing or invalid: that one problem is reported, not every placeholder. */
  center: CenterData | undefined;
  sources: Map<string, SourceNote>;
  publicFacts: PublicFacts;
  /** center.yaml path → answer files that refer to it. */
  usage: Map<string, Set<string>>;
  problems: ProblemList;
  parse: YamlParser;
}

/** Parses YAML text (throwing on bad YAML): the `yaml` package's, or a cache of its results (yaml-cache.ts). */
export type YamlParser = (text: string) => unknown;

export interface LoadResult {
  knowledge: KnowledgeBase | undefined;
  problems: ProblemList;
}

const LANG_LIST = LANGUAGES.join(', ');

/** Parses YAML, recording a problem instead of throwing. */
function readYaml(path: string, shown: string, problems: ProblemList, parse: YamlParser): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    problems.error(shown, `not valid YAML (${reason}); check indentation and quote text that contains ":"`);
    return undefined;
  }
}

function splitFrontMatter(source: string): { header: string; body: string } | undefined {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(source);
  return match ? { header: match[1] ?? '', body: match[2] ?? '' } : undefined;
}

function loadTranslation(
  path: string,
  shown: string,
  lang: Lang,
  ctx: LoadContext,
): (Translation & { category?: string; source?: string }) | undefined {
  const { center, problems } = ctx;
  const parts = splitFrontMatter(readFileSync(path, 'utf8'));
  if (!parts) {
    problems.error(
      shown,
      'no front matter; start the file with a "---" line, the title and questions, then another "---" line',
    );
    return undefined;
  }
  let header: unknown;
  try {
    header = ctx.parse(parts.header);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    problems.error(
      shown,
      `front matter is not valid YAML (${reason}); quote text that contains ":" or starts with a symbol`,
    );
    return undefined;
  }
  const parsed = frontMatterSchema.safeParse(header ?? {});
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error.issues))
      problems.error(shown, `${issue}; see knowledge/README.md for the fields`);
    return undefined;
  }
  const fm = parsed.data;
  if (lang !== 'en' && fm.category) problems.warn(shown, 'category is only read from en.md; remove it here');
  if (lang !== 'en' && fm.source) problems.warn(shown, 'source is only read from en.md; remove it here');
  if (fm.questions.length < MIN_QUESTIONS) {
    problems.warn(
      shown,
      `only ${fm.questions.length} question(s); add at least ${MIN_QUESTIONS} ways people ask this`,
    );
  }
  const own = new Set(fm.questions.map((q) => q.toLowerCase()));
  for (const q of fm.not_answered)
    if (own.has(q.toLowerCase()))
      problems.error(shown, `"${q}" is both in questions and in not_answered; keep it in one of them`);
  const body = sanitizeText(parts.body);
  if (!body) {
    problems.error(shown, 'the answer is empty; write the answer below the second "---" line');
    return undefined;
  }
  for (const { path, value } of center ? contactValues(center, lang) : []) {
    if (body.includes(value)) {
      problems.warn(
        shown,
        `writes "${value}" out; use {{${path}}} instead, so an edit of center.yaml reaches this answer`,
      );
    }
  }
  const id = shown.split(/[\\/]/).at(-2) ?? '';
  const specifics = unsourcedSpecifics(body, allowedFor(ctx.publicFacts, id));
  if (specifics.length > 0) {
    problems.warn(
      shown,
      `writes ${specifics.map((x) => `"${x}"`).join(', ')} itself; put what the center decides in center.yaml and use its placeholder, or list a public fact for "${id}" in public-facts.yaml`,
    );
  }
  const filled = fillPlaceholders(body, center ?? {}, lang);
  for (const used of filled.used) {
    const files = ctx.usage.get(used) ?? new Set<string>();
    files.add(shown);
    ctx.usage.set(used, files);
  }
  if (filled.malformed) {
    problems.error(
      shown,
      'a {{#if …}} block is not closed or is nested; write {{#if path}}…{{else}}…{{/if}}, one level deep',
    );
    return undefined;
  }
  for (const path of center ? filled.missing : []) {
    problems.error(
      shown,
      `unknown placeholder {{${path}}}; add "${path}" to knowledge/center.yaml or fix the name`,
    );
  }
  if (center && filled.missing.length) return undefined;
  return {
    lang,
    title: fm.title,
    questions: fm.questions,
    tags: fm.tags,
    ...(fm.not_answered.length > 0 ? { notAnswered: fm.not_answered } : {}),
    body: filled.text,
    file: shown,
    ...(fm.category ? { category: fm.category } : {}),
    ...(fm.source ? { source: fm.source } : {}),
  };
}

/** Resolves an entry's `source:` (a URL, or a note in knowledge/sources/). */
function resolveSource(ref: string, shown: string, ctx: LoadContext): EntrySource | undefined {
  if (!SOURCE_FILE.test(ref)) return { title: { en: ref }, url: ref };
  const note = ctx.sources.get(ref);
  if (!note) {
    ctx.problems.error(shown, `source "${ref}" is not in knowledge/sources/; add the note or fix the name`);
    return undefined;
  }
  const title =
    typeof note.title === 'string' ? { en: note.title } : { ...note.title, en: note.title.en ?? '' };
  return { title, ...(note.url ? { url: note.url } : {}) };
}

function loadEntry(dir: string, id: string, root: string, ctx: LoadContext): FaqEntry | undefined {
  const { problems } = ctx;
  const shownDir = relative(root, dir) || dir;
  if (!ENTRY_ID.test(id)) {
    problems.error(
      shownDir,
      'folder name must be a lowercase id like "koban-what-is" (letters, digits, dashes); rename the folder',
    );
    return undefined;
  }
  const translations: Partial<Record<Lang, Translation>> = {};
  let category: string | undefined;
  let sourceRef: string | undefined;
  for (const file of readdirSync(dir).sort()) {
    const shown = join(shownDir, file);
    const lang = file.replace(/\.md$/, '');
    if (!file.endsWith('.md') || !isLang(lang)) {
      problems.error(
        shown,
        `unexpected file; name answer files by language code (${LANG_LIST}) with ".md", e.g. en.md`,
      );
      continue;
    }
    const t = loadTranslation(join(dir, file), shown, lang, ctx);
    if (!t) continue;
    if (lang === 'en') {
      category = t.category;
      sourceRef = t.source;
    }
    const { category: _ignored, source: _alsoIgnored, ...translation } = t;
    translations[lang] = translation;
  }
  if (!existsSync(join(dir, 'en.md'))) {
    problems.error(shownDir, 'no en.md; every entry needs an English file (the fallback for all languages)');
    return undefined;
  }
  if (!translations.en) return undefined;
  const scoped = Object.values(translations).filter((t) => t.notAnswered);
  if (scoped.length > 0)
    for (const t of Object.values(translations))
      if (!t.notAnswered)
        problems.warn(
          t.file,
          'no not_answered list, while other languages of this entry have one; write it in this language too',
        );
  if (!category) {
    problems.error(
      join(shownDir, 'en.md'),
      'category is missing; add e.g. "category: koban" to the front matter',
    );
    return undefined;
  }
  const source = sourceRef ? resolveSource(sourceRef, join(shownDir, 'en.md'), ctx) : undefined;
  if (sourceRef && !source) return undefined;
  return { id, category: category as FaqEntry['category'], translations, ...(source ? { source } : {}) };
}

/**
 * Loads `dir` (the knowledge folder). Returns the knowledge base when there are no errors.
 * `parseYaml`: how YAML text is parsed (a cache of earlier parses; default the `yaml` package).
 */
export function loadKnowledge(dir: string, options: { parseYaml?: YamlParser } = {}): LoadResult {
  const parse = options.parseYaml ?? parseYaml;
  const problems = new ProblemList();
  const shown = (p: string): string => relative(dir, p) || p;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.error(dir, 'knowledge folder not found; pass --knowledge DIR or set KOBAN_KNOWLEDGE');
    return { knowledge: undefined, problems };
  }
  const centerPath = join(dir, 'center.yaml');
  let center: CenterData | undefined;
  let confirmed: string[] = [];
  if (existsSync(centerPath)) {
    const raw = readYaml(centerPath, shown(centerPath), problems, parse);
    center = parseCenter(raw, shown(centerPath), problems);
    if (center) confirmed = parseConfirmed(raw, center, shown(centerPath), problems);
  } else {
    problems.error(
      shown(centerPath),
      'missing; copy center.yaml from the repository and fill in the center details',
    );
  }

  const ctx: LoadContext = {
    center,
    sources: readSources(dir, problems, parse),
    publicFacts: readPublicFacts(dir, problems, parse),
    usage: new Map(),
    problems,
    parse,
  };
  const entries = new Map<string, FaqEntry>();
  const faqDir = join(dir, 'faq');
  if (!existsSync(faqDir)) problems.error(shown(faqDir), 'missing; create knowledge/faq/<entry-id>/en.md');
  else {
    for (const id of readdirSync(faqDir).sort()) {
      const entryDir = join(faqDir, id);
      if (!statSync(entryDir).isDirectory()) {
        problems.error(
          shown(entryDir),
          'unexpected file; each FAQ entry is a folder holding en.md, ja.md, ...',
        );
        continue;
      }
      const entry = loadEntry(entryDir, id, dir, ctx);
      if (entry) entries.set(id, entry);
    }
  }

  const synonyms = readPerLanguage(dir, 'synonyms', parse, synonymsSchema, problems, {
    empty: { groups: [] },
    hint: 'write "groups:" then one "- [word, word, ...]" line per group',
  });
  const offTopic = readPerLanguage(dir, 'off-topic', parse, offTopicSchema, problems, {
    empty: { examples: [] },
    hint: 'write "examples:" then one "- message" line per off-topic message',
  });
  const languageHints = readPerLanguage(dir, 'language-hints', parse, languageHintsSchema, problems, {
    empty: { words: [] },
    hint: 'write "words: [word, word, ...]" and optionally "weak: [word, ...]" (lowercase; a phrase may have spaces)',
  });
  const smalltalk = readPerLanguage(dir, 'smalltalk', parse, smalltalkSchema, problems, {
    empty: {},
    hint: 'write a kind (greeting, thanks, bye, about, help, human, omawari) then one "- phrasing" line per wording; human_cues: person, request, not_bot, info lists',
  });

  const glossary = readGlossary(dir, problems, parse);

  if (problems.errors.length > 0 || !center) return { knowledge: undefined, problems };
  const unconfirmed = unconfirmedPaths(center, confirmed).map((path) => ({
    path,
    usedBy: [...(ctx.usage.get(path) ?? [])].sort(),
  }));
  return {
    knowledge: {
      dir,
      center,
      entries,
      synonyms: mapValues(synonyms, (d) => d.groups),
      offTopic: mapValues(offTopic, (d) => d.examples),
      errands: mapValues(offTopic, (d) => Object.values(d.errands ?? {}).flat()),
      smalltalk: mapValues(smalltalk, (d) => d as SmalltalkPhrasings),
      languageHints: mapValues(languageHints, (d) => ({ words: d.words, weak: d.weak })),
      glossary,
      unconfirmed,
    },
    problems,
  };
}

function mapValues<A, B>(record: Partial<Record<Lang, A>>, fn: (a: A) => B): Partial<Record<Lang, B>> {
  const out: Partial<Record<Lang, B>> = {};
  for (const lang of LANGUAGES) {
    const value = record[lang];
    if (value !== undefined) out[lang] = fn(value);
  }
  return out;
}

/** Reads `<dir>/<folder>/<lang>.yaml` files (an optional folder), each checked with `schema`. */
function readPerLanguage<S extends z.ZodType>(
  dir: string,
  folder: string,
  parse: YamlParser,
  schema: S,
  problems: ProblemList,
  how: { empty: z.input<S>; hint: string },
): Partial<Record<Lang, z.output<S>>> {
  const shown = (p: string): string => relative(dir, p) || p;
  const out: Partial<Record<Lang, z.output<S>>> = {};
  const folderPath = join(dir, folder);
  if (!existsSync(folderPath)) return out;
  for (const file of readdirSync(folderPath).sort()) {
    const path = join(folderPath, file);
    const lang = file.replace(/\.ya?ml$/, '');
    if (!/\.ya?ml$/.test(file) || !isLang(lang)) {
      problems.error(
        shown(path),
        `unexpected file; name ${folder} files by language code (${LANG_LIST}), e.g. en.yaml`,
      );
      continue;
    }
    const parsed = schema.safeParse(readYaml(path, shown(path), problems, parse) ?? how.empty);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error.issues))
        problems.error(shown(path), `${issue}; ${how.hint}`);
      continue;
    }
    out[lang] = parsed.data;
  }
  return out;
}

/** Reads the notes in `knowledge/sources/` (an optional folder): front matter, then a summary. */
function readSources(dir: string, problems: ProblemList, parse: YamlParser): Map<string, SourceNote> {
  const out = new Map<string, SourceNote>();
  const folder = join(dir, 'sources');
  if (!existsSync(folder)) return out;
  for (const file of readdirSync(folder).sort()) {
    const shown = relative(dir, join(folder, file));
    if (file === 'README.md' || !file.endsWith('.md')) continue;
    if (!SOURCE_FILE.test(file)) {
      problems.error(shown, 'name source notes in lowercase words with dashes, e.g. "npa-center-profile.md"');
      continue;
    }
    const parts = splitFrontMatter(readFileSync(join(folder, file), 'utf8'));
    let header: unknown;
    try {
      header = parts ? parse(parts.header) : undefined;
    } catch {
      header = undefined;
    }
    const parsed = sourceNoteSchema.safeParse(header);
    if (!parsed.success || !parts?.body.trim()) {
      const why = parsed.success ? ['the summary is empty'] : zodIssues(parsed.error.issues);
      for (const issue of why)
        problems.error(
          shown,
          `${issue}; start with front matter (title, optional publisher and url), then a summary`,
        );
      continue;
    }
    out.set(file, parsed.data);
  }
  return out;
}

/** Reads `knowledge/public-facts.yaml` (optional): numbers answers may write out themselves. */
function readPublicFacts(dir: string, problems: ProblemList, parse: YamlParser): PublicFacts {
  const path = join(dir, 'public-facts.yaml');
  const empty: PublicFacts = { everywhere: [], entries: {} };
  if (!existsSync(path)) return empty;
  const parsed = publicFactsSchema.safeParse(readYaml(path, 'public-facts.yaml', problems, parse) ?? {});
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error.issues))
      problems.error('public-facts.yaml', `${issue}; write "everywhere:" and "entries:" lists of numbers`);
    return empty;
  }
  return parsed.data;
}
