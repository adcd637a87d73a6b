/**
 * Cheap routing for schedule questions. Every message passes the schedule parser first, and most
 * are FAQ questions: a schedule question needs a day (a digit, or a day, weekday, month or
 * part-of-day word) or a schedule word ("when", "timetable"), all of them phrases of
 * schedule-words.ts. The phrases are gathered once per language, and a message holding none of
 * them where the parsers could find one (at a word start, or anywhere in unspaced scripts) skips
 * the parsers: they would find nothing, so the answer is the same.
 */
import type { Lang } from '../../core/languages.js';
import { fold, UNSPACED } from './normalize.js';
import { SCHEDULE_WORDS, type ScheduleWords } from './schedule-words.js';

/** Fields that are not phrases looked for in the text (regular expressions, a setting). */
const NOT_PHRASES: ReadonlySet<string> = new Set<keyof ScheduleWords>([
  'dayOnly',
  'setCourse',
  'numericOrder',
  // An ordinal alone asks nothing: it only picks among sessions a question names.
  'ordinals',
  // "lol", "btw" only cut a message into clauses.
  'chatBreaks',
  'questionWords',
]);

/** Languages whose phrases may carry an ending glued to them ("cumaya", "jadwalnya"). */
const SUFFIXED: ReadonlySet<Lang> = new Set<Lang>(['tr', 'id', 'fa']);
const UNSPACED_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const DIGIT = /[0-9]/;

function collect(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, out);
}

/** Every phrase of `words`, folded as the parsers fold them. */
function phrasesOf(words: ScheduleWords): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(words)) if (!NOT_PHRASES.has(field)) collect(value, out);
  return out.map(fold);
}

interface Phrase {
  text: string;
  /** Found anywhere (unspaced scripts), not only at a word start. */
  anywhere: boolean;
}

/** The schedule phrases of one language (its own and English's), by their first character. */
class PhraseSet {
  private readonly byFirst = new Map<string, Phrase[]>();
  /** A phrase that folds to nothing could match any text: then every message goes to the parsers. */
  readonly matchesAll: boolean;

  constructor(
    phrases: readonly string[],
    private readonly lang: Lang,
  ) {
    let empty = false;
    for (const text of new Set(phrases)) {
      const first = text[0];
      if (first === undefined) {
        empty = true;
        continue;
      }
      const list = this.byFirst.get(first) ?? [];
      list.push({ text, anywhere: UNSPACED.has(lang) || UNSPACED_START.test(text) });
      this.byFirst.set(first, list);
    }
    this.matchesAll = empty;
  }

  /** True when some phrase occurs in `folded` where the parsers' patterns (normalize.ts) could match it. */
  occursIn(folded: string): boolean {
    const suffixed = SUFFIXED.has(this.lang);
    for (let i = 0; i < folded.length; i++) {
      const list = this.byFirst.get(folded[i] as string);
      if (!list) continue;
      const wordStart = i === 0 || isBoundary(folded[i - 1]);
      for (const p of list) {
        if (!p.anywhere && !wordStart) continue;
        if (!folded.startsWith(p.text, i)) continue;
        const end = i + p.text.length;
        if (p.anywhere || suffixed || end === folded.length || isBoundary(folded[end])) return true;
      }
    }
    return false;
  }
}

function isBoundary(c: string | undefined): boolean {
  return c === ' ' || c === '(' || (c !== undefined && /\s/.test(c));
}

/** Per language, the set and the word lists it was built from (new lists build a new set). */
const sets = new Map<Lang, { own: ScheduleWords; en: ScheduleWords; set: PhraseSet }>();

function phraseSet(lang: Lang): PhraseSet {
  const own = SCHEDULE_WORDS[lang];
  const en = SCHEDULE_WORDS.en;
  let built = sets.get(lang);
  if (built?.own !== own || built.en !== en) {
    const phrases = lang === 'en' ? phrasesOf(own) : [...phrasesOf(own), ...phrasesOf(en)];
    built = { own, en, set: new PhraseSet(phrases, lang) };
    sets.set(lang, built);
  }
  return built.set;
}

/**
 * False when none of `texts` (a message, and its clauses joined by spaces) holds a digit or a
 * schedule phrase of `lang` or English: then no reading of it is a schedule question.
 */
export function mayAskSchedule(texts: readonly string[], lang: Lang): boolean {
  const set = phraseSet(lang);
  if (set.matchesAll) return true;
  return texts.some((text) => {
    const folded = fold(text);
    return DIGIT.test(folded) || set.occursIn(folded);
  });
}
