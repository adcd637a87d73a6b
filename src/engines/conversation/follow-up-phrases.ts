/**
 * `knowledge/intents/follow-ups.yaml`: the phrasings of follow-ups ("and tomorrow?", "where is it?",
 * "in Japanese please"…) per language, and the rule that reads a message as one of them: once its
 * phrase and the filler words are taken out, nothing may be left (but a day, a language name or the
 * topic meant, by kind).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { escapeRegExp, fold, UNSPACED } from '../schedule/normalize.js';

const perLang = z.partialRecord(z.enum(LANGUAGES), z.array(z.string().min(1)));

export const followUpPhrasesSchema = z.strictObject({
  filler: perLang,
  another_day: perLang,
  where: perLang,
  end: perLang,
  next: perLang,
  more: perLang,
  meant: perLang,
  language: perLang,
  /** Keyed by the language named: its names in any language. */
  language_names: perLang,
});
export type FollowUpPhrasesData = z.infer<typeof followUpPhrasesSchema>;

/** Kinds recognised from the text alone; `another_day` also needs a day (the schedule's date parser). */
export type FollowUpKind = 'where' | 'end' | 'next' | 'more' | 'meant' | 'language';

export type FollowUp =
  | { kind: 'where' | 'end' | 'next' | 'more' }
  | { kind: 'meant'; topic: string }
  | { kind: 'language'; target: Lang };

const TEXT_KINDS: FollowUpKind[] = ['meant', 'language', 'end', 'where', 'next', 'more'];

/** Unspaced scripts may keep a particle or so the filler list misses. */
const UNSPACED_SLACK = 1;

function isUnspaced(s: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(s);
}

/** Removes every whole-word (or, in unspaced scripts, every) occurrence of `phrase`. */
function remove(text: string, phrase: string): { text: string; found: boolean } {
  if (!text.includes(phrase)) return { text, found: false };
  const re = isUnspaced(phrase)
    ? new RegExp(escapeRegExp(phrase), 'gu')
    : new RegExp(`(?<=^|\\s)${escapeRegExp(phrase)}(?=\\s|$)`, 'gu');
  const out = text.replace(re, ' ').replace(/\s+/g, ' ').trim();
  return { text: out, found: out !== text };
}

function removeAll(text: string, phrases: readonly string[]): { text: string; found: boolean } {
  let found = false;
  let t = text;
  for (const p of phrases) {
    const r = remove(t, p);
    t = r.text;
    found ||= r.found;
  }
  return { text: t, found };
}

/** Nothing meaningful left: empty, or (unspaced scripts) a stray character. */
function empty(text: string, lang: Lang): boolean {
  if (text === '') return true;
  return (
    (UNSPACED.has(lang) || isUnspaced(text)) && !text.includes(' ') && [...text].length <= UNSPACED_SLACK
  );
}

export class FollowUpPhrases {
  private readonly lists = new Map<string, string[]>();
  private readonly names: Array<{ name: string; lang: Lang }>;

  constructor(private readonly data: FollowUpPhrasesData) {
    this.names = Object.entries(data.language_names)
      .flatMap(([lang, names]) => (names ?? []).map((n) => ({ name: fold(n), lang: lang as Lang })))
      .sort((a, b) => b.name.length - a.name.length);
  }

  static readonly empty = new FollowUpPhrases({
    filler: {},
    another_day: {},
    where: {},
    end: {},
    next: {},
    more: {},
    meant: {},
    language: {},
    language_names: {},
  });

  /** The folded phrases of a kind in `lang` and English, longest first. */
  private phrases(kind: keyof FollowUpPhrasesData, lang: Lang): string[] {
    const key = `${kind} ${lang}`;
    let list = this.lists.get(key);
    if (!list) {
      const own = this.data[kind][lang] ?? [];
      const en = lang === 'en' ? [] : (this.data[kind].en ?? []);
      list = [...new Set([...own, ...en].map(fold).filter((p) => p !== ''))].sort(
        (a, b) => b.length - a.length,
      );
      this.lists.set(key, list);
    }
    return list;
  }

  /** Takes the filler words out of already folded text. */
  private stripFiller(text: string, lang: Lang): string {
    return removeAll(text, this.phrases('filler', lang)).text;
  }

  /** Reads `text` as a follow-up that needs no day, or returns undefined. */
  match(text: string, lang: Lang): FollowUp | undefined {
    const folded = fold(text);
    if (folded === '') return undefined;
    for (const kind of TEXT_KINDS) {
      if (kind === 'language') {
        const target = this.language(folded, lang);
        if (target) return { kind, target };
        continue;
      }
      const r = removeAll(folded, this.phrases(kind, lang));
      if (!r.found) continue;
      const rest = this.stripFiller(r.text, lang);
      if (kind === 'meant') {
        if (!empty(rest, lang)) return { kind, topic: rest };
        continue;
      }
      if (empty(rest, lang)) return { kind };
    }
    return undefined;
  }

  /** "in Japanese please", "日本語で": a language name and nothing else but language words and filler. */
  private language(folded: string, lang: Lang): Lang | undefined {
    let target: Lang | undefined;
    let rest = folded;
    for (const { name, lang: l } of this.names) {
      const r = remove(rest, name);
      if (!r.found) continue;
      if (target && target !== l) return undefined;
      target = l;
      rest = r.text;
    }
    if (!target) return undefined;
    rest = removeAll(rest, this.phrases('language', lang)).text;
    return empty(this.stripFiller(rest, lang), lang) ? target : undefined;
  }

  /**
   * Whether `rest` (the folded text once the schedule's date parser took the day out) is only an
   * "and …?" follow-up's words: "and", "what about", filler.
   */
  onlyAnotherDay(rest: string, lang: Lang): boolean {
    const r = removeAll(rest, this.phrases('another_day', lang));
    return empty(this.stripFiller(r.text, lang), lang);
  }
}

export class FollowUpPhrasesError extends Error {
  readonly code = 'FOLLOW_UP_PHRASES_INVALID';
}

export const FOLLOW_UPS_FILE = join('intents', 'follow-ups.yaml');

/** Checks `<knowledge>/intents/follow-ups.yaml`; returns one message per problem (none: valid or absent). */
export function followUpProblems(knowledgeDir: string): string[] {
  try {
    readFollowUpPhrases(knowledgeDir);
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

/** Reads the file; no file means no follow-ups (every message is read on its own). */
export function readFollowUpPhrases(knowledgeDir: string): FollowUpPhrases {
  const path = join(knowledgeDir, FOLLOW_UPS_FILE);
  if (!existsSync(path)) return FollowUpPhrases.empty;
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FollowUpPhrasesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = followUpPhrasesSchema.safeParse(raw);
  if (!parsed.success) throw new FollowUpPhrasesError(`${path}: ${z.prettifyError(parsed.error)}`);
  return new FollowUpPhrases(parsed.data);
}
