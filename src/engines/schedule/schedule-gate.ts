/**
 * Cheap routing for schedule questions. Every message passes the schedule parser first, and most
 * are FAQ questions: a schedule question needs a day (a digit, or a day or weekday word), a
 * timetable, "next" or "now" word, a course word with a start or end word ("when does the course
 * end"), or a question word about time or place beside a session's name, all of them phrases of
 * schedule-words.ts. The phrases are gathered once per language, and a message holding none of
 * them where the parsers could find one (at a word start, or anywhere in unspaced scripts) skips
 * the parsers: they would find nothing, so the answer is the same.
 *
 * Words that cannot make a question on their own are not looked for: fillers ("please"),
 * closings, change and absence words, parts of the day (they need a timetable word), month names
 * (they need a day number: a digit), kinds of session and ordinals (they only narrow a named
 * session); a course word or a start or end word alone asks nothing (question.ts reads the
 * course's dates only from both, and neither counts otherwise). And a question word about time or place alone ("when", "where": most FAQ questions
 * hold one) makes a schedule question only beside a session's name (question.ts: no day and no
 * other schedule word leave only "a named session with a question about time or place"), so with
 * `namesSession` given, such a message goes on only when one of its words names a session.
 */
import type { Lang } from '../../core/languages.js';
import { fold, UNSPACED } from './normalize.js';
import { SCHEDULE_WORDS, type ScheduleWords } from './schedule-words.js';

/**
 * The fields whose phrases can make a message a schedule question on their own: the date parser's
 * day words (date-parser.ts `CATEGORIES` and weekdays; "next Friday" holds a weekday) and the
 * question reader's timetable, "next" and "now" flags (question.ts `FLAGS`). Every other field
 * only matters next to one of these, to a digit or to a session's name, or is no phrase (regular
 * expressions, a setting).
 */
const STRONG_FIELDS = [
  'today',
  'tomorrow',
  'dayAfterTomorrow',
  'yesterday',
  'weekdays',
  'thisWeek',
  'nextWeek',
  'rest',
  'wholeCourse',
  'timetable',
  'next',
  'now',
] as const satisfies ReadonlyArray<keyof ScheduleWords>;
/** Question words that ask a schedule question only about a named session. */
const WEAK_FIELDS = ['when', 'where'] as const satisfies ReadonlyArray<keyof ScheduleWords>;
/** The course's dates are asked with a course word and a start or end word together ("when does the course end"). */
const COURSE_FIELDS = ['course'] as const satisfies ReadonlyArray<keyof ScheduleWords>;
const EDGE_FIELDS = ['courseEnd', 'courseStart'] as const satisfies ReadonlyArray<keyof ScheduleWords>;

/** Languages whose phrases may carry an ending glued to them ("cumaya", "jadwalnya"). */
const SUFFIXED: ReadonlySet<Lang> = new Set<Lang>(['tr', 'id', 'fa']);
const UNSPACED_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const DIGIT = /[0-9]/;

function collect(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, out);
}

/** What a phrase is, as bits: a text found is the union of its phrases' bits. */
const STRONG = 1;
const WEAK = 2;
const COURSE = 4;
const EDGE = 8;

/** The phrases of `fields` of `words`, folded as the parsers fold them. */
function phrasesOf(words: ScheduleWords, fields: ReadonlyArray<keyof ScheduleWords>): string[] {
  const out: string[] = [];
  for (const field of fields) collect(words[field], out);
  return out.map(fold);
}

interface Phrase {
  text: string;
  /** Found anywhere (unspaced scripts), not only at a word start. */
  anywhere: boolean;
  /** STRONG, WEAK, COURSE, EDGE: what the phrase is (a phrase of several fields has several). */
  bits: number;
}

/** What a text holds: no schedule phrase, only question words about time or place, or more. */
enum Found {
  None = 0,
  Weak = 1,
  Strong = 2,
}

/** The schedule phrases of one language (its own and English's), by their first character. */
class PhraseSet {
  private readonly byFirst = new Map<string, Phrase[]>();
  /** A phrase that folds to nothing could match any text: then every message goes to the parsers. */
  readonly matchesAll: boolean;

  constructor(
    phrases: ReadonlyArray<[bit: number, texts: readonly string[]]>,
    private readonly lang: Lang,
  ) {
    let empty = false;
    const all = new Map<string, number>();
    for (const [bit, texts] of phrases) for (const text of texts) all.set(text, (all.get(text) ?? 0) | bit);
    for (const [text, bits] of all) {
      const first = text[0];
      if (first === undefined) {
        empty = true;
        continue;
      }
      const list = this.byFirst.get(first) ?? [];
      list.push({ text, anywhere: UNSPACED.has(lang) || UNSPACED_START.test(text), bits });
      this.byFirst.set(first, list);
    }
    this.matchesAll = empty;
  }

  /** What the phrases that occur in `folded` where the parsers' patterns (normalize.ts) could match them make of it. */
  occursIn(folded: string): Found {
    const suffixed = SUFFIXED.has(this.lang);
    let bits = 0;
    for (let i = 0; i < folded.length; i++) {
      const list = this.byFirst.get(folded[i] as string);
      if (!list) continue;
      const wordStart = i === 0 || isBoundary(folded[i - 1]);
      for (const p of list) {
        if (!p.anywhere && !wordStart) continue;
        if ((p.bits | bits) === bits) continue;
        if (!folded.startsWith(p.text, i)) continue;
        const end = i + p.text.length;
        if (p.anywhere || suffixed || end === folded.length || isBoundary(folded[end])) {
          bits |= p.bits;
          if (bits & STRONG || (bits & COURSE && bits & EDGE)) return Found.Strong;
        }
      }
    }
    return bits & WEAK ? Found.Weak : Found.None;
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
    const of = (fields: ReadonlyArray<keyof ScheduleWords>): string[] =>
      lang === 'en' ? phrasesOf(own, fields) : [...phrasesOf(own, fields), ...phrasesOf(en, fields)];
    const phrases: Array<[number, string[]]> = [
      [STRONG, of(STRONG_FIELDS)],
      [WEAK, of(WEAK_FIELDS)],
      [COURSE, of(COURSE_FIELDS)],
      [EDGE, of(EDGE_FIELDS)],
    ];
    built = { own, en, set: new PhraseSet(phrases, lang) };
    sets.set(lang, built);
  }
  return built.set;
}

/** Letters of scripts written without spaces: words there are cut by a segmenter, not at spaces. */
const UNSPACED_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * False when none of `texts` (a message, and its clauses joined by spaces) holds a digit or a
 * schedule phrase of `lang` or English, or holds only "when"/"where" words while
 * `namesSession(folded)` says that none of its words names a session: then no reading of it is a
 * schedule question. `namesSession` is asked only about spaced text (a segmenter cuts unspaced text
 * differently once the question words are taken out, so there any "when" lets the text through).
 */
export function mayAskSchedule(
  texts: readonly string[],
  lang: Lang,
  namesSession?: (folded: string) => boolean,
): boolean {
  const set = phraseSet(lang);
  if (set.matchesAll) return true;
  return texts.some((text) => {
    const folded = fold(text);
    if (DIGIT.test(folded)) return true;
    const found = set.occursIn(folded);
    if (found !== Found.Weak) return found === Found.Strong;
    return (
      namesSession === undefined || UNSPACED.has(lang) || UNSPACED_LETTER.test(folded) || namesSession(folded)
    );
  });
}
