/**
 * The words people use to talk about days, weeks and timetables, per language, as data kept in
 * `knowledge/schedule-words/<lang>.yaml` (operator vocabulary, validated with zod at load and by
 * `koban kb validate`, reloaded with the rest of the knowledge folder).
 * Write entries as people type them (accents, spaces); matching folds accents, case and digits.
 * Longer phrases win over shorter ones ("day after tomorrow" before "tomorrow").
 *
 * `SCHEDULE_WORDS` is read synchronously by the date parser, the question reader and the session
 * matcher: it is filled from the repository's knowledge folder when this module loads, and
 * `useScheduleWords` swaps in another folder's words (the configured one, on every reload); code
 * that caches something built from the words registers `onScheduleWordsChange` to drop it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import type { Logger } from '../../logger.js';
import { readYaml, type YamlReader } from '../knowledge/yaml-cache.js';
import { SESSION_KINDS, type SessionKind } from './session-kinds.js';

export interface ScheduleWords {
  today: string[];
  tomorrow: string[];
  dayAfterTomorrow: string[];
  yesterday: string[];
  /** Monday first (ISO weekday 1..7). */
  weekdays: [string[], string[], string[], string[], string[], string[], string[]];
  /** January first. Only read next to a day number ("20 January", "Enero 20"). */
  months: string[][];
  thisWeek: string[];
  nextWeek: string[];
  /** "the rest of the course": from today to the course's end. */
  rest: string[];
  /** The whole timetable. */
  wholeCourse: string[];
  /** Words that make a weekday mean the one of next week ("next Friday", "jumat depan"). */
  nextModifier: string[];
  /** A day of the current month without a month, as a regular expression with one group. */
  dayOnly: string[];
  /**
   * Solar Hijri month names (Farvardin/Hamal first), Iranian and Dari: "۱۴ بهمن", "۶ دلو". Read
   * next to a day number like `months`, in the Persian calendar.
   */
  solarMonths?: string[][];
  /** How "20/1"-style numbers read when both parts could be a month. */
  numericOrder: 'dm' | 'md';
  /** Question words about time ("when", "what time"). */
  when: string[];
  /** Question words about place ("where"). */
  where: string[];
  /** Words for the timetable itself ("schedule", "class", "what's on"). */
  timetable: string[];
  /** "next" in "what is my next class". */
  next: string[];
  /** "now" in "where do I have to be now". */
  now: string[];
  /** The course as a whole. */
  course: string[];
  courseEnd: string[];
  courseStart: string[];
  /**
   * Words that say nothing in a schedule question ("please", "show me"), besides the usual stop
   * words; also words too generic to name a session ("center": users mean the training center;
   * "lunch": users mean the daily meal, not the farewell lunch).
   */
  fillers: string[];
  /** Phrases that contain a timetable word but mean something else (vi "lịch sử", history). */
  notSchedule?: string[];
  /**
   * Closing formulas ("see you", "sampai jumpa", "また明日"): with a day and no question word,
   * "see you tomorrow" is a goodbye, not a question about tomorrow.
   */
  closings?: string[];
  /**
   * Words that ask to change a plan ("cancel", "postpone"): such a message is a request for the
   * FAQ (how to cancel or change a visit), never a timetable lookup, even with a day and a session.
   */
  changeRequest: string[];
  /**
   * Phrases that say the writer will be late or absent ("I'm late for class today"): a notice for
   * the FAQ (how to report an absence), not a timetable lookup, even with a day and "class".
   */
  absence: string[];
  /** Words that mean "now" next to "where" or "next", and "today" next to timetable words (tl "ngayon"). */
  nowOrToday?: string[];
  /**
   * Parts of the day ("tomorrow morning", "chiều nay", "บ่ายนี้"): they narrow a day to the sessions
   * held then, and alone with a timetable word they mean today's.
   */
  partOfDay: { morning: string[]; afternoon: string[]; evening: string[] };
  /** Greetings and past remarks that contain a part of the day but do not ask about one ("good morning"). */
  notPartOfDay: string[];
  /** "my course is X" forms, as regular expressions whose one group captures X. */
  setCourse: string[];
  /**
   * "the first one", "lần 1", "ครั้งแรก": first, second, third… in order. When a name fits several
   * sessions ("the mock crime scene", day 1 and day 2), the ordinal picks one, counted in time order.
   */
  ordinals?: string[][];
  /**
   * Words for a kind of session ("class", "lớp", "کلاس": a lecture; "practice": an exercise): when
   * a name fits sessions of several kinds, the one kind the question names narrows them.
   */
  kindWords?: Partial<Record<SessionKind, string[]>>;
  /**
   * Chat words that close one thought and open another ("lol", "btw", "wkwk", "555"): a message is
   * cut into clauses at them as at punctuation ("just finished the exam lol whats next").
   */
  chatBreaks?: string[];
  /**
   * Words that make a run of words a question ("what", "apa", "gì", "ne"): chat glued to "today what
   * class" is read as a question only with one of them, or a question word of `when`/`where`/`next`/`now`.
   */
  questionWords?: string[];
}

const words = z.array(z.string().min(1, 'a word must not be empty'));
const regexps = z.array(
  z.string().refine((source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression'),
);
const perMonth = z.array(words).length(12, 'give the 12 months, January (or Farvardin/Hamal) first');

export const scheduleWordsSchema = z.strictObject({
  today: words,
  tomorrow: words,
  dayAfterTomorrow: words,
  yesterday: words,
  weekdays: z.tuple([words, words, words, words, words, words, words]),
  months: perMonth,
  thisWeek: words,
  nextWeek: words,
  rest: words,
  wholeCourse: words,
  nextModifier: words,
  dayOnly: regexps,
  solarMonths: perMonth.exactOptional(),
  numericOrder: z.enum(['dm', 'md']),
  when: words,
  where: words,
  timetable: words,
  next: words,
  now: words,
  course: words,
  courseEnd: words,
  courseStart: words,
  fillers: words,
  notSchedule: words.exactOptional(),
  closings: words.exactOptional(),
  changeRequest: words,
  absence: words,
  nowOrToday: words.exactOptional(),
  partOfDay: z.strictObject({ morning: words, afternoon: words, evening: words }),
  notPartOfDay: words,
  ordinals: z.array(words).exactOptional(),
  kindWords: z.partialRecord(z.enum(SESSION_KINDS), words).exactOptional(),
  chatBreaks: words.exactOptional(),
  questionWords: words.exactOptional(),
  setCourse: regexps.refine(
    (list) => list.every((source) => /\((?!\?)/.test(source)),
    'each "my course is X" form needs one capturing group for X',
  ),
}) satisfies z.ZodType<ScheduleWords>;

export class ScheduleWordsError extends Error {
  readonly code = 'SCHEDULE_WORDS_INVALID';
}

export const SCHEDULE_WORDS_DIR = 'schedule-words';

/** Reads and checks `<knowledge>/schedule-words/<lang>.yaml` for every language; throws on the first bad file. */
export function readScheduleWords(
  knowledgeDir: string,
  yaml: YamlReader = readYaml,
): Record<Lang, ScheduleWords> {
  const out: Partial<Record<Lang, ScheduleWords>> = {};
  for (const lang of LANGUAGES) {
    const path = join(knowledgeDir, SCHEDULE_WORDS_DIR, `${lang}.yaml`);
    if (!existsSync(path))
      throw new ScheduleWordsError(`${path}: missing (every language needs its schedule words)`);
    let raw: unknown;
    try {
      raw = yaml(path);
    } catch (err) {
      throw new ScheduleWordsError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = scheduleWordsSchema.safeParse(raw);
    if (!parsed.success) throw new ScheduleWordsError(`${path}: ${z.prettifyError(parsed.error)}`);
    out[lang] = parsed.data;
  }
  return out as Record<Lang, ScheduleWords>;
}

/** One message per problem in the schedule words (none: valid, or no folder: the built-in words serve). */
export function scheduleWordsProblems(knowledgeDir: string): string[] {
  if (!existsSync(join(knowledgeDir, SCHEDULE_WORDS_DIR))) return [];
  try {
    readScheduleWords(knowledgeDir);
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

/** The repository's knowledge folder (next to src/ and dist/). */
const BUILT_IN = join(PACKAGE_ROOT, 'knowledge', '/');

/** The words in use, once read or taken; until then the first read fills it from `BUILT_IN`. */
let inUse: Record<Lang, ScheduleWords> | undefined;
const current = (): Record<Lang, ScheduleWords> => {
  inUse ??= readScheduleWords(BUILT_IN);
  return inUse;
};

/**
 * Per language, the words now in use; the object stays the same, its entries are swapped. The
 * built-in words are read on first use, so a runtime that takes its own folder's words (from the
 * YAML cache) never parses them twice.
 */
export const SCHEDULE_WORDS = {} as Record<Lang, ScheduleWords>;
for (const lang of LANGUAGES) {
  Object.defineProperty(SCHEDULE_WORDS, lang, {
    enumerable: true,
    get: () => current()[lang],
    set: (words: ScheduleWords) => {
      current()[lang] = words;
    },
  });
}

const listeners: Array<() => void> = [];

/** Runs `listener` whenever the words change (caches built from them are dropped there). */
export function onScheduleWordsChange(listener: () => void): void {
  listeners.push(listener);
}

/**
 * Takes `knowledgeDir`'s schedule words; on errors throws and keeps the words in use (the caller
 * logs it: the last good version keeps serving).
 */
export function useScheduleWords(knowledgeDir: string, yaml: YamlReader = readYaml): void {
  const next = readScheduleWords(knowledgeDir, yaml);
  if (!inUse) {
    // Nothing has read the words yet, so nothing was built from them.
    inUse = next;
    return;
  }
  if (JSON.stringify(next) === JSON.stringify(inUse)) return;
  Object.assign(inUse, next);
  for (const listener of listeners) listener();
}

/**
 * `useScheduleWords` for the runtime: a folder without schedule words keeps the built-in ones
 * (logged once as a warning), bad files keep the words in use (logged as an error).
 */
export function takeScheduleWords(knowledgeDir: string, logger: Logger, yaml: YamlReader = readYaml): void {
  if (!existsSync(join(knowledgeDir, SCHEDULE_WORDS_DIR))) {
    logger.warn(
      { dir: knowledgeDir },
      'no schedule-words folder in the knowledge folder; using the built-in words',
    );
    return;
  }
  try {
    useScheduleWords(knowledgeDir, yaml);
  } catch (err) {
    logger.error({ err }, 'knowledge/schedule-words is invalid; keeping the words in use');
  }
}
