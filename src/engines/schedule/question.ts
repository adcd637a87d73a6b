/**
 * Decides whether a message asks about the timetable, and what exactly: a day, a range, a session
 * by name, what is next or now, or the course's own dates. Built on word tables (schedule-words.ts)
 * so that "when is the koban site visit?" is a schedule question and "what should I wear on a
 * koban visit?" stays with the FAQ.
 */
import type { Lang } from '../../core/languages.js';
import { codePointLength } from '../../core/text.js';
import { localized, type Session, type SessionKind } from './course-file.js';
import { type DateExpr, type DateParse, type PartOfDay, parseDate } from './date-parser.js';
import { fold, take } from './normalize.js';
import { mayAskSchedule } from './schedule-gate.js';
import { onScheduleWordsChange, SCHEDULE_WORDS, type ScheduleWords } from './schedule-words.js';
import { contentWords, fillerPhrases, type SessionIndex, type SessionMatch } from './session-matcher.js';

export type Focus = 'day' | 'session' | 'next' | 'now' | 'courseStart' | 'courseEnd' | 'overview';

export interface ScheduleQuestion {
  focus: Focus;
  date?: DateExpr;
  /** Sessions named in the question (focus "session", or a filter for a day). */
  named?: SessionMatch;
  /** "the next koban visit": only the first upcoming match. */
  nextOnly: boolean;
  /** "tomorrow afternoon": only the sessions held in that part of the day. */
  partOfDay?: PartOfDay;
}

type Flag = 'when' | 'where' | 'timetable' | 'next' | 'now' | 'course' | 'courseEnd' | 'courseStart';
const FLAGS: Flag[] = ['when', 'where', 'timetable', 'next', 'now', 'course', 'courseEnd', 'courseStart'];

const vocab = new Map<Lang, Array<{ text: string; flags: Flag[] }>>();

/** Each phrase once, with every flag it carries ("program": timetable and course), longest first. */
function vocabulary(lang: Lang): Array<{ text: string; flags: Flag[] }> {
  let list = vocab.get(lang);
  if (!list) {
    const w: ScheduleWords = SCHEDULE_WORDS[lang];
    const byText = new Map<string, Set<Flag>>();
    // Phrases that only look like schedule words carry no flag; being longer, they are taken first.
    // Ordinals carry none either: they pick among named sessions, and are no leftover words.
    for (const p of [...(w.notSchedule ?? []), ...(w.ordinals ?? []).flat()]) byText.set(fold(p), new Set());
    for (const src of lang === 'en' ? [w] : [w, SCHEDULE_WORDS.en]) {
      for (const flag of FLAGS) {
        for (const p of src[flag]) {
          // Short English words are too ambiguous inside other languages ("end", "now").
          if (src !== w && p.length < 5) continue;
          const key = fold(p);
          byText.set(key, (byText.get(key) ?? new Set()).add(flag));
        }
      }
    }
    list = [...byText].map(([text, flags]) => ({ text, flags: [...flags] }));
    list.sort((a, b) => b.text.length - a.text.length);
    vocab.set(lang, list);
  }
  return list;
}

const changeWords = new Map<Lang, string[]>();
const absenceOnly = new Map<Lang, { absence: string[]; change: string[] }>();
const closings = new Map<Lang, string[]>();
onScheduleWordsChange(() => {
  vocab.clear();
  changeWords.clear();
  absenceOnly.clear();
  closings.clear();
});

/** The closing formulas of `lang` and English ("see you", "sampai jumpa"), folded. */
function closingPhrases(lang: Lang): string[] {
  let list = closings.get(lang);
  if (!list) {
    const own = SCHEDULE_WORDS[lang].closings ?? [];
    const en = lang === 'en' ? [] : (SCHEDULE_WORDS.en.closings ?? []);
    list = [...new Set([...own, ...en].map(fold).filter((p) => p !== ''))];
    closings.set(lang, list);
  }
  return list;
}

const ASKING_FLAGS: readonly Flag[] = ['when', 'where', 'next', 'now'];

/**
 * "see you tomorrow", "また明日", "kita kits bukas": a closing formula that asks nothing (no question
 * word; a timetable word only with a question mark: "see you in class tomorrow" is a goodbye).
 */
function closingOnly(text: string, folded: string, lang: Lang, flags: ReadonlySet<Flag>): boolean {
  if (ASKING_FLAGS.some((f) => flags.has(f))) return false;
  if (flags.has('timetable') && /[?？؟]/u.test(text)) return false;
  // Whole words, no glued endings: fa "خداحافظ" (goodbye) is not "خداحافظی" (farewell, a lunch's name).
  return closingPhrases(lang).some((p) => take(folded, p, 'en') !== undefined);
}

/** `rest` without its closing formulas: "see you tomorrow, what time do we start?" asks about tomorrow. */
function withoutClosings(rest: string, lang: Lang): string {
  let out = rest;
  for (const p of closingPhrases(lang)) out = take(out, p, 'en') ?? out;
  return out;
}

/** True when `text` is a goodbye that names a day ("see you tomorrow") rather than a question about it. */
export function isClosingRemark(text: string, lang: Lang): boolean {
  const folded = fold(text);
  return closingOnly(text, folded, lang, flagsOf(folded, lang).flags);
}

/**
 * "cancel", "postpone", "I'm late"…, lowercased but with their accents: folded, vi "hủy" (cancel)
 * would be the "huy" of "chỉ huy" (command).
 */
function changeRequestWords(lang: Lang): string[] {
  let list = changeWords.get(lang);
  if (!list) {
    const { changeRequest, absence } = SCHEDULE_WORDS[lang];
    list = [...changeRequest, ...absence].map((w) => w.normalize('NFC').toLocaleLowerCase(lang));
    changeWords.set(lang, list);
  }
  return list;
}

const QUESTION_FLAGS: ReadonlySet<Flag> = new Set<Flag>(['when', 'where', 'next', 'now', 'timetable']);

/**
 * Finds the vocabulary flags in folded text. `rest` has every phrase removed; `forNames` only the
 * question and timetable words, since course words can be part of a title ("opening" is also "start").
 */
function flagsOf(
  text: string,
  lang: Lang,
): { flags: Set<Flag>; rest: string; forNames: string; withTimetable: string } {
  const flags = new Set<Flag>();
  let rest = text;
  let forNames = text;
  let withTimetable = text;
  for (const { text: phrase, flags: carried } of vocabulary(lang)) {
    const after = take(rest, phrase, lang);
    if (after === undefined) continue;
    for (const f of carried) flags.add(f);
    rest = after;
    if (carried.every((f) => QUESTION_FLAGS.has(f))) forNames = take(forNames, phrase, lang) ?? forNames;
    if (carried.every((f) => QUESTION_FLAGS.has(f) && f !== 'timetable')) {
      withTimetable = take(withTimetable, phrase, lang) ?? withTimetable;
    }
  }
  return { flags, rest, forNames, withTimetable };
}

const ordinalLists = new Map<Lang, string[][]>();
const kindLists = new Map<Lang, Array<[SessionKind, string[]]>>();
onScheduleWordsChange(() => {
  ordinalLists.clear();
  kindLists.clear();
});

/** The ordinals of `lang` then English, by position, folded (each position of each list in turn). */
function foldedOrdinals(lang: Lang): string[][] {
  let list = ordinalLists.get(lang);
  if (!list) {
    const lists = lang === 'en' ? [SCHEDULE_WORDS.en] : [SCHEDULE_WORDS[lang], SCHEDULE_WORDS.en];
    list = lists.flatMap((w) => (w.ordinals ?? []).map((phrases) => phrases.map(fold)));
    ordinalLists.set(lang, list);
  }
  return list;
}

/** The session kinds' words of `lang` then English, folded. */
function foldedKindWords(lang: Lang): Array<[SessionKind, string[]]> {
  let list = kindLists.get(lang);
  if (!list) {
    const lists = lang === 'en' ? [SCHEDULE_WORDS.en] : [SCHEDULE_WORDS[lang], SCHEDULE_WORDS.en];
    list = lists.flatMap((w) =>
      (Object.entries(w.kindWords ?? {}) as Array<[SessionKind, string[]]>).map(
        ([kind, phrases]): [SessionKind, string[]] => [kind, phrases.map(fold)],
      ),
    );
    kindLists.set(lang, list);
  }
  return list;
}

/** The position (0 for "first") an ordinal in `text` names, if it names one; longer phrases first. */
function ordinalOf(text: string, lang: Lang): number | undefined {
  const folded = fold(text);
  let best: { n: number; length: number } | undefined;
  const lists = lang === 'en' ? [SCHEDULE_WORDS.en] : [SCHEDULE_WORDS[lang], SCHEDULE_WORDS.en];
  const ordinals = foldedOrdinals(lang);
  let at = 0;
  for (const w of lists) {
    const count = (w.ordinals ?? []).length;
    for (let n = 0; n < count; n++) {
      for (const f of ordinals[at + n] ?? []) {
        if ((best === undefined || f.length > best.length) && take(folded, f, lang) !== undefined) {
          best = { n, length: f.length };
        }
      }
    }
    at += count;
  }
  return best?.n;
}

/** The kinds of session (lecture, exercise…) whose words `text` holds, in `lang` or English. */
function kindsNamed(text: string, lang: Lang): Set<SessionKind> {
  const folded = fold(text);
  const kinds = new Set<SessionKind>();
  for (const [kind, phrases] of foldedKindWords(lang)) {
    if (phrases.some((p) => take(folded, p, lang) !== undefined)) kinds.add(kind);
  }
  return kinds;
}

/**
 * The largest run of sessions whose English titles differ only in their numbers ("Mock crime scene
 * (day 1)", "(day 2)"), in time order: what "the first one" counts in. Empty when there is none.
 */
function seriesOf(sessions: readonly Session[]): Session[] {
  const groups = new Map<string, Session[]>();
  for (const s of sessions) {
    const key = localized(s.title, 'en').replace(/\d+/g, '#');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  let best: Session[] = [];
  for (const g of groups.values()) if (g.length > best.length) best = g;
  return best.length > 1 ? best : [];
}

/**
 * Splits a message into clauses: sentences, the parts around commas and dashes, and around the
 * language's chat breaks ("lol", "btw", "wkwk": `chatBreaks` in knowledge/schedule-words/).
 */
function clauses(text: string, lang: Lang): string[] {
  const cut = lang === 'th' ? /[\s.!?,;:…]+/u : /[.!?？！؟。…,，、;؛،\n]+|\s[-–—]+\s|\s{2,}/u;
  const breaks = chatBreaks(lang);
  return text
    .split(cut)
    .flatMap((c) => (breaks.size > 0 ? splitAtBreaks(c, breaks) : [c]))
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

const breakSets = new Map<Lang, { from: readonly string[] | undefined; set: Set<string> }>();

/** The folded chat breaks of `lang` and English (one word each; "555" and "lol" travel). */
function chatBreaks(lang: Lang): Set<string> {
  const from = SCHEDULE_WORDS[lang].chatBreaks;
  let built = breakSets.get(lang);
  if (!built || built.from !== from) {
    const list = [...(from ?? []), ...(lang === 'en' ? [] : (SCHEDULE_WORDS.en.chatBreaks ?? []))];
    built = { from, set: new Set(list.map(fold)) };
    breakSets.set(lang, built);
  }
  return built.set;
}

/** A clause cut at its chat-break words, which are dropped. */
function splitAtBreaks(clause: string, breaks: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const word of clause.split(/\s+/u)) {
    if (breaks.has(fold(word))) {
      out.push(current.join(' '));
      current = [];
    } else current.push(word);
  }
  out.push(current.join(' '));
  return out;
}

/** A window found by `chatWindow` must hold at least this many words… */
const WINDOW_MIN_WORDS = 2;
/** …in a message of at most this many. */
const WINDOW_MAX_WORDS = 25;

/**
 * "geç kaldım şu an nerede olmam lazım", "baru bangun hari ini ada kelas apa": chat glued to a
 * question with no punctuation between. The message's last words are read as a question after
 * chat, the longest such run first: the run must be longer than the chat before it, ask (a
 * when/where/next word, or a timetable word with a `questionWords` word) and name a day, or ask
 * where to be now. A session named alone is not enough ("koban sistemi ne zaman kuruldu" asks
 * about history).
 */
function chatWindow(
  text: string,
  lang: Lang,
  whole: WholeReader,
  skip?: (run: string) => boolean,
): ScheduleQuestion | undefined {
  if (UNSPACED_LANGS.has(lang)) return undefined;
  const ws = text.trim().split(/\s+/u);
  // A letter is not chat around one question (and each window is a parse).
  if (ws.length > WINDOW_MAX_WORDS) return undefined;
  // The chat before the question is shorter than the question ("can i bring my family | to class
  // tomorrow" is no timetable question).
  for (let cut = 1; cut < ws.length - cut && ws.length - cut >= WINDOW_MIN_WORDS; cut++) {
    const run = ws.slice(cut).join(' ');
    if ([...ws.slice(0, cut).join(' ')].length > ASIDE_MAX_CHARS || skip?.(run)) continue;
    const found = whole(run);
    if (!found) continue;
    const q = found.question;
    // "baru bangun hari ini ada kelas apa": a day and a timetable word ask too, with a question word.
    const asks = found.asksQuestion || (found.asks && q.date !== undefined && hasQuestionWord(run, lang));
    if (asks && (q.date !== undefined || q.focus === 'now')) return q;
  }
  // "thứ sáu tuần này học gì vậy mọi người", "yarın ne var ya hiç bakmadım": the question first, then
  // chat (an address, a remark) with no punctuation between, read the same way from the other end.
  // A run with a digit is left alone: cut short, "where the 110 emergency calls get answered" reads
  // the number as a session's day.
  for (let cut = 1; cut < ws.length - cut && ws.length - cut >= WINDOW_MIN_WORDS; cut++) {
    const run = ws.slice(0, ws.length - cut).join(' ');
    if (/\p{N}/u.test(run)) break;
    if ([...ws.slice(ws.length - cut).join(' ')].length > ASIDE_MAX_CHARS || skip?.(run)) continue;
    const found = whole(run);
    if (!found) continue;
    const q = found.question;
    const asks = found.asksQuestion || (found.asks && q.date !== undefined && hasQuestionWord(run, lang));
    if (asks && (q.date !== undefined || q.focus === 'now')) return q;
  }
  return undefined;
}

const questionSets = new Map<Lang, { from: readonly string[] | undefined; set: Set<string> }>();

/** Whether a word of `run` is one of the `questionWords` of `lang` or English. */
function hasQuestionWord(run: string, lang: Lang): boolean {
  const from = SCHEDULE_WORDS[lang].questionWords;
  let built = questionSets.get(lang);
  if (!built || built.from !== from) {
    const list = [...(from ?? []), ...(lang === 'en' ? [] : (SCHEDULE_WORDS.en.questionWords ?? []))];
    built = { from, set: new Set(list.map(fold)) };
    questionSets.set(lang, built);
  }
  const set = built.set;
  return fold(run)
    .split(' ')
    .some((w) => set.has(w));
}

/** Languages written without spaces between words: no word windows. */
const UNSPACED_LANGS: ReadonlySet<Lang> = new Set<Lang>(['ja']);

/**
 * Reads a message as a schedule question, or returns undefined when it is not one. `zone` is the
 * time zone days are counted in (the user's course's). The question may sit inside a longer
 * message ("sorry I missed the briefing, what do we have tomorrow?"): when the whole message is
 * not a schedule question, runs of its clauses are tried, shorter runs and later clauses first.
 * Pure: the same text, clock and timetables give the same structured query.
 */
export function parseQuestion(
  text: string,
  lang: Lang,
  now: Date,
  zone: string,
  index: SessionIndex,
  courseIds?: ReadonlySet<string>,
): ScheduleQuestion | undefined {
  const lower = text.normalize('NFC').toLocaleLowerCase(lang);
  if (changeRequestWords(lang).some((w) => take(lower, w, lang) !== undefined)) {
    return dayQuestionBesideAbsence(text, lower, lang, now, zone, index, courseIds);
  }
  const parts = clauses(text, lang);
  const namesSession = (folded: string): boolean => index.mayName(folded, lang);
  // Every run of clauses tried below is a piece of the clauses joined by spaces.
  if (!mayAskSchedule(parts.length > 1 ? [text, parts.join(' ')] : [text], lang, namesSession)) {
    return undefined;
  }
  const read = wholeReader(lang, now, zone, index, courseIds);
  const whole = read(text);
  // Two days in one message ("tired today, what's on tomorrow?"): the clause that asks decides.
  if (whole && !(whole.severalDays && parts.length > 1)) return whole.question;
  if (parts.length < 2) return whole?.question ?? chatWindow(text, lang, read);
  for (let size = 1; size < parts.length; size++) {
    for (let start = parts.length - size; start >= 0; start--) {
      // The chat around the run first (cheaper): a long one is no aside.
      const aside = [...parts.slice(0, start), ...parts.slice(start + size)].join(' ');
      if (!isAside(text, aside)) continue;
      const run = parts.slice(start, start + size).join(' ');
      // No digit and no schedule phrase: the run reads as no question (the gate's rule above).
      if (!mayAskSchedule([run], lang, namesSession)) continue;
      const found = read(run);
      // A clause must say about what (a day or a session), and ask, or end the message. In Japanese
      // (no word windows below) a day clause with its own question mark asks too: "今日の午後なにか
      // ありますか？バタバタしてて見てなかった".
      const last = start + size === parts.length;
      const marked = UNSPACED_LANGS.has(lang) && found?.question.date !== undefined && asksByMark(text, run);
      const asks = found?.asks || last || marked;
      if (found && asks && (found.question.date !== undefined || found.question.named !== undefined)) {
        return found.question;
      }
      // "just finished the exam lol whats next": "what's next" closing the message.
      if (found && last && found.question.focus === 'next') return found.question;
    }
  }
  return chatWindow(parts.join(' '), lang, read);
}

/** Whether `run` (clauses joined by spaces) is followed by a question mark in `text`. */
function asksByMark(text: string, run: string): boolean {
  const tail = run.slice(-Math.min(run.length, 12));
  const end = text.indexOf(tail);
  return end >= 0 && /^\s*[?？؟]/u.test(text.slice(end + tail.length));
}

/** Chat around a question: short, and no question of its own ("sorry I missed the briefing"). */
function isAside(text: string, aside: string): boolean {
  if (codePointLength(aside) > ASIDE_MAX_CHARS) return false;
  // The aside's own question mark, found in the original text (the clauses lost their punctuation).
  const end = text.indexOf(aside.slice(-Math.min(aside.length, 12)));
  if (end >= 0 && /^\s*[?？؟]/u.test(text.slice(end + Math.min(aside.length, 12)))) return false;
  return true;
}

/** The absence and change-request words of `lang`, apart, lowercased as `changeRequestWords`. */
function absenceAndChangeWords(lang: Lang): { absence: string[]; change: string[] } {
  let words = absenceOnly.get(lang);
  if (!words) {
    const lower = (w: string): string => w.normalize('NFC').toLocaleLowerCase(lang);
    const { changeRequest, absence } = SCHEDULE_WORDS[lang];
    words = { absence: absence.map(lower), change: changeRequest.map(lower) };
    absenceOnly.set(lang, words);
  }
  return words;
}

/**
 * "sorry I was absent yesterday, what's on tomorrow?": an absence remark and, after it, a question
 * that names a day. The clause after the remark that names the day and asks (or ends the message)
 * is the question; a change request ("cancel", "postpone") never is.
 */
function dayQuestionBesideAbsence(
  text: string,
  lower: string,
  lang: Lang,
  now: Date,
  zone: string,
  index: SessionIndex,
  courseIds?: ReadonlySet<string>,
): ScheduleQuestion | undefined {
  const { absence, change } = absenceAndChangeWords(lang);
  const holds = (t: string, list: readonly string[]): boolean =>
    list.some((w) => take(t, w, lang) !== undefined);
  if (holds(lower, change)) return undefined;
  const parts = clauses(text, lang);
  const read = wholeReader(lang, now, zone, index, courseIds);
  // Only a question after the remark: "今日の授業、遅刻します" (today's class: I'll be late) is a notice.
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] as string;
    if (holds(part.normalize('NFC').toLocaleLowerCase(lang), absence)) {
      return i === parts.length - 1 ? questionAfterRemark(part, lang, read) : undefined;
    }
    const found = read(part);
    if (found?.question.date && (found.asks || i === parts.length - 1)) return found.question;
  }
  return undefined;
}

/**
 * "geç kaldım şu an nerede olmam lazım": a question glued after an absence remark, in a run of
 * words holding no absence or change word ("I'm late for class tomorrow" asks nothing).
 */
function questionAfterRemark(part: string, lang: Lang, whole: WholeReader): ScheduleQuestion | undefined {
  const { absence, change } = absenceAndChangeWords(lang);
  return chatWindow(part, lang, whole, (run) => {
    const lowered = run.normalize('NFC').toLocaleLowerCase(lang);
    return [...absence, ...change].some((w) => take(lowered, w, lang) !== undefined);
  });
}

/**
 * In Japanese and Thai a filler of several characters ("見せて", "ください") is cut out of the text
 * whole: word by word it would come apart into pieces that count as content. The list is the
 * session matcher's, which cuts the same fillers before segmenting.
 */
function withoutFillerPhrases(rest: string, lang: Lang): string {
  let out = rest;
  for (const phrase of fillerPhrases(lang)) {
    for (let next = take(out, phrase, lang); next !== undefined; next = take(out, phrase, lang)) out = next;
  }
  return out;
}

/** Longest chat (in characters) allowed around a schedule question found inside a message. */
const ASIDE_MAX_CHARS = 60;

/** A reading of a whole text; `asks` says a schedule word (question, timetable, course) was in it. */
interface Whole {
  question: ScheduleQuestion;
  asks: boolean;
  asksQuestion: boolean;
  severalDays: boolean;
}

/** `parseWhole` of pieces of one message, with its clock, zone and timetables. */
type WholeReader = (text: string) => Whole | undefined;

/**
 * A `parseWhole` for the pieces of one message that reads each piece once: the clause runs and
 * the word windows of `chatWindow` often hold the same words.
 */
function wholeReader(
  lang: Lang,
  now: Date,
  zone: string,
  index: SessionIndex,
  courseIds?: ReadonlySet<string>,
): WholeReader {
  const seen = new Map<string, Whole | undefined>();
  return (text) => {
    if (seen.has(text)) return seen.get(text);
    const found = parseWhole(text, lang, now, zone, index, courseIds);
    seen.set(text, found);
    return found;
  };
}

/** One reading of a whole text. */
function parseWhole(
  text: string,
  lang: Lang,
  now: Date,
  zone: string,
  index: SessionIndex,
  courseIds?: ReadonlySet<string>,
): Whole | undefined {
  const parsed = parseDate(text, lang, now, zone);
  const flagged = flagsOf(parsed.rest, lang);
  if (closingOnly(text, fold(text), lang, flagged.flags)) return undefined;
  const read = { ...flagged, rest: withoutClosings(withoutFillerPhrases(flagged.rest, lang), lang) };
  const question = readQuestion(text, lang, now, zone, index, parsed, read, courseIds);
  if (!question) return undefined;
  // "now" alone asks nothing ("late ako sa klase ngayon"): a question word does.
  const asksQuestion = ASKING_FLAGS.some((f) => f !== 'now' && read.flags.has(f));
  return { question, asks: read.flags.size > 0, asksQuestion, severalDays: parsed.severalDays === true };
}

/** Reads the question from the text's date (`parsed`) and schedule words (`read`). */
function readQuestion(
  text: string,
  lang: Lang,
  now: Date,
  zone: string,
  index: SessionIndex,
  parsed: DateParse,
  read: ReturnType<typeof flagsOf>,
  courseIds?: ReadonlySet<string>,
): ScheduleQuestion | undefined {
  const { flags, rest, forNames, withTimetable } = read;
  // Cheap routing: with no day and no schedule word, no rule below can call this a schedule
  // question (a named session needs "when", "where" or "next" too), so skip the session matcher.
  if (parsed.expr === undefined && flags.size === 0) return undefined;
  const has = (f: Flag): boolean => flags.has(f);
  let named = index.match(forNames, lang, courseIds);
  if (named.sessions.length > 1) {
    // "the fingerprint lecture": the timetable word breaks the tie between fingerprint sessions.
    const narrower = index.match(withTimetable, lang, courseIds, new Set(named.sessions));
    if (narrower.sessions.length > 0 && narrower.sessions.length < named.sessions.length) {
      named = { ...named, sessions: narrower.sessions };
    }
  }
  if (named.sessions.length > 1) {
    // "the fingerprint class": a lecture, not the fingerprint exercise.
    const kinds = kindsNamed(text, lang);
    const [kind] = kinds;
    const ofKind = kinds.size === 1 ? named.sessions.filter((s) => s.kind === kind) : [];
    if (ofKind.length > 0 && ofKind.length < named.sessions.length) named = { ...named, sessions: ofKind };
  }
  if (named.sessions.length > 1) {
    const nth = ordinalOf(text, lang);
    const picked = nth === undefined ? undefined : seriesOf(named.sessions)[nth];
    if (picked) named = { ...named, sessions: [picked] };
  }
  const strong = named.sessions.length > 0 && named.strong;
  // Words that are neither schedule vocabulary, a day, a stop word nor part of the named session.
  const leftover = contentWords(rest, lang).filter(
    (w) =>
      !named.sessions.length || !index.match(w, lang, courseIds, new Set(named.sessions)).sessions.length,
  ).length;
  let date = parsed.expr;
  const partOfDay = parsed.partOfDay;
  const nowOrToday = (SCHEDULE_WORDS[lang].nowOrToday ?? []).some((p) => take(fold(text), fold(p), lang));
  const todayExpr = (): DateExpr | undefined => parseDate('today', 'en', now, zone).expr;
  if (!date && nowOrToday && has('timetable') && !has('where') && !has('next')) date = todayExpr();
  // "what's on this afternoon?" with no day named: today's afternoon.
  if (!date && partOfDay && has('timetable') && !has('next')) date = todayExpr();
  const asksTime = has('when') || has('where');

  if (has('course') && (has('courseEnd') || has('courseStart')) && date?.kind !== 'day' && leftover <= 1) {
    if (has('when') || leftover === 0) {
      return { focus: has('courseEnd') ? 'courseEnd' : 'courseStart', nextOnly: false };
    }
  }
  // A timetable signal (timetable word, a session's name, "next") with a question about time or
  // place, and little else: longer messages that merely mention a class or a day are FAQ questions.
  const isSchedule =
    (date !== undefined && leftover === 0) ||
    (date !== undefined && leftover <= 1 && (has('timetable') || asksTime || has('next'))) ||
    // A session named by one word ("exam") must be most of the question; by several, less so.
    (strong && (asksTime || date !== undefined || has('next')) && leftover <= (named.words > 1 ? 2 : 0)) ||
    (has('timetable') && (asksTime || has('next') || has('now')) && leftover <= 1) ||
    (has('timetable') && leftover === 0) ||
    (has('next') && leftover === 0) ||
    (has('now') && has('where') && leftover <= 3);
  if (!isSchedule) return undefined;

  const withDate = <T extends object>(q: T): T & { date?: DateExpr; partOfDay?: PartOfDay } => {
    const dated = date ? { ...q, date } : q;
    return partOfDay && date?.kind === 'day' ? { ...dated, partOfDay } : dated;
  };
  if (named.sessions.length > 0 && (strong || asksTime || date)) {
    return withDate({ focus: 'session' as const, named, nextOnly: has('next') && !date });
  }
  if (date) return withDate({ focus: 'day' as const, nextOnly: false });
  if (has('next')) return { focus: 'next', nextOnly: true };
  if (has('now')) return { focus: 'now', nextOnly: false };
  return { focus: 'overview', nextOnly: false };
}
