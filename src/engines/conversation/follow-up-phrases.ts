/**
 * `knowledge/intents/follow-ups.yaml`: the phrasings of follow-ups ("and tomorrow?", "where is it?",
 * "in Japanese please"…) per language, and the rule that reads a message as one of them: once its
 * phrase and the filler words are taken out, nothing may be left (but a day, a language name or the
 * topic meant, by kind).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { codePointLength } from '../../core/text.js';
import { editDistance, typoBudget } from '../knowledge/fuzzy.js';
import { readYaml, type YamlReader } from '../knowledge/yaml-cache.js';
import { escapeRegExp, fold, UNSPACED } from '../schedule/normalize.js';
import { SCHEDULE_WORDS } from '../schedule/schedule-words.js';

const perLang = z.partialRecord(z.enum(LANGUAGES), z.array(z.string().min(1)));

export const followUpPhrasesSchema = z.strictObject({
  filler: perLang,
  another_day: perLang,
  where: perLang,
  end: perLang,
  /** "when does it start?": the sessions just mentioned again, with their times. Optional. */
  start: perLang.optional(),
  next: perLang,
  /** "and the one before?": the session before the ones just mentioned. Optional. */
  previous: perLang.optional(),
  more: perLang,
  meant: perLang,
  language: perLang,
  /** Keyed by the language named: its names in any language. */
  language_names: perLang,
  /**
   * Negations of a correction, "not X, Y": `before` the word negated ("bukan wifi, laundry"),
   * `after` it ("wifi değil, çamaşırhane", "وای‌فای نه، لباسشویی"). Optional.
   */
  negation: z.strictObject({ before: perLang, after: perLang }).optional(),
  /** "the day after?", "その次の日は?": the day after the day (or the sessions) just answered. Optional. */
  day_after: perLang.optional(),
  /**
   * Words that open (or, in languages that put them last, close) a correction's topic when it adds
   * context to the same question: "no i mean FOR the koban visit", "ziyaret İÇİN". Optional.
   */
  meant_context: perLang.optional(),
  /**
   * Words that open a reason given with a language request, without a comma: "paki-japanese po
   * PARA maipakita ko sa sensei", "به اندونزیایی جواب بدی BRAYE همکارم", or (Turkish, Japanese)
   * close one said first: "arkadaşım İÇİN ingilizce yazar mısın". Optional.
   */
  reason: perLang.optional(),
  /**
   * Words that, after the topic meant, open what is not meant: "I meant the visitors, NOT the
   * trainees", "หมายถึงคณะผู้แทน ไม่ใช่ผู้เข้าอบรม". What follows them is left out of the topic. Optional.
   */
  not_meant: perLang.optional(),
  /**
   * Cues of a question about the FAQ answer just given, a condition or a permission: "what if",
   * "is that ok", "ถ้า", "olur mu", "اشکال نداره". Optional.
   */
  about_last: perLang.optional(),
});
export type FollowUpPhrasesData = z.infer<typeof followUpPhrasesSchema>;

/** Kinds recognised from the text alone; `another_day` also needs a day (the schedule's date parser). */
export type FollowUpKind = 'where' | 'end' | 'start' | 'next' | 'previous' | 'more' | 'meant' | 'language';

export type FollowUp =
  | { kind: 'where' | 'end' | 'start' | 'next' | 'previous' | 'more' }
  /**
   * `context`: the topic adds context to the question before (`meant_context`: "for the visit");
   * `notMeant`: what the correction says it does not mean ("…, not the trainees" → "trainees");
   * `said`: the correction without its `meant` phrase but with its filler ("kunjungan koban asakusa
   * hari apa ya": "hari apa" asks the day), when that differs from the topic.
   */
  | { kind: 'meant'; topic: string; context?: boolean; notMeant?: string; said?: string }
  /** `unknown`: a word that is neither a language word nor filler (the caller checks it names no topic). */
  | { kind: 'language'; target: Lang; unknown: string[] };

const TEXT_KINDS: FollowUpKind[] = ['meant', 'language', 'end', 'start', 'where', 'next', 'previous', 'more'];

/** Kinds the word-level classifier may read from a short message. */
type CueKind = 'where' | 'end' | 'start' | 'next' | 'previous' | 'more';
/**
 * Kinds read word by word. `start` shares its question words with `end` ("ne zaman", "kailan",
 * "mấy giờ"): it is read from whole phrases only, so it does not split their words' votes; so is
 * `previous`, whose words ("before", "önceki") are rarer than `next`'s.
 */
const CUE_KINDS: readonly CueKind[] = ['end', 'where', 'next', 'more'];

/** Longer messages are new questions, never follow-ups read word by word. */
const MAX_WORDS = 8;
/** A first clause and the rest, split at a comma, semicolon, colon, opening bracket or spaced dash. */
const CLAUSE_AFTER = /^(.+?)\s*(?:[,，、;；:：(（]| [-–—] )\s*(.+)$/su;
/** A question mark, in our scripts. */
export const QUESTION_MARK = /[?？؟]/u;
/** A first sentence and the rest ("英語で返してもらえますか？同室の人に見せたいので"). */
const SENTENCE_AFTER = /^(.+?[?？؟.。!！])\s*(.+)$/su;
/** A clause break among the words of a correction ("not X, Y"). */
const COMMA = ',';

/**
 * A follow-up read word by word (`classify`): its kind, and the words that were neither cue nor
 * filler (chat noise such as "wait", "lol"; the caller checks they name no FAQ topic).
 */
export interface Classified {
  kind: CueKind;
  unknown: string[];
}

interface Vocabulary {
  /** Each cue word with the kinds whose phrases use it. */
  cues: Map<string, Set<CueKind>>;
  filler: Set<string>;
  anotherDay: Set<string>;
  /** Words of the schedule's timetable vocabulary ("schedule", "class", "ada apa"): harmless in "and friday's classes?". */
  timetable: Set<string>;
}

const segmenters = new Map<Lang, Intl.Segmenter>();

/** The words of already folded text; unspaced scripts (Japanese, Thai) through Intl.Segmenter. */
export function words(folded: string, lang: Lang): string[] {
  if (!(UNSPACED.has(lang) || isUnspaced(folded)))
    return folded.split(/[\s/:.\-()]+/u).filter((w) => w !== '');
  let seg = segmenters.get(lang);
  if (!seg) {
    seg = new Intl.Segmenter(lang === 'tl' ? 'fil' : lang, { granularity: 'word' });
    segmenters.set(lang, seg);
  }
  const out: string[] = [];
  for (const s of seg.segment(folded)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/**
 * Whether `word` is one of `known`: the same, within its typo budget ("whre", "finsh"), or a
 * known word of 4+ letters with an ending added ("finishes", "kelarnya", "bitecek").
 */
function knownWord(word: string, known: Iterable<string>, has: (w: string) => boolean): string | undefined {
  if (has(word)) return word;
  const n = codePointLength(word);
  if (n < 4 || isUnspaced(word)) return undefined;
  const budget = typoBudget(word) || (n === 4 ? 1 : 0);
  let best: string | undefined;
  for (const k of known) {
    const kn = codePointLength(k);
    if (kn < 4) continue;
    if (word.startsWith(k) && n - kn <= 5) return k;
    if (budget > 0 && best === undefined && editDistance(word, k, budget) <= budget) best = k;
  }
  return best;
}

/** A language name takes an ending ("inggrisnya", "ingilizceye") when it has this many letters… */
const GLUE_MIN_NAME = 5;
/** …and the ending has at most this many. */
const GLUE_MAX_ENDING = 3;

/** Unspaced scripts may keep a particle or so the filler list misses. */
const UNSPACED_SLACK = 1;

function isUnspaced(s: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(s);
}

/** Each phrase's pattern, compiled once (global, but `replace` starts every search from 0). */
const removers = new Map<string, RegExp>();

/** Removes every whole-word (or, in unspaced scripts, every) occurrence of `phrase`. */
function remove(text: string, phrase: string): { text: string; found: boolean } {
  if (!text.includes(phrase)) return { text, found: false };
  let re = removers.get(phrase);
  if (!re) {
    re = isUnspaced(phrase)
      ? new RegExp(escapeRegExp(phrase), 'gu')
      : new RegExp(`(?<=^|\\s)${escapeRegExp(phrase)}(?=\\s|$)`, 'gu');
    if (removers.size >= 10_000) removers.clear();
    removers.set(phrase, re);
  }
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

/** A per-language list's phrases of `lang` and of English, folded, without blanks or repeats. */
function ownAndEnglish(list: Partial<Record<Lang, string[]>> | undefined, lang: Lang): string[] {
  const own = list?.[lang] ?? [];
  const en = lang === 'en' ? [] : (list?.en ?? []);
  return [...new Set([...own, ...en].map(fold).filter((p) => p !== ''))];
}

export class FollowUpPhrases {
  private readonly lists = new Map<string, string[]>();
  private readonly names: Array<{ name: string; lang: Lang }>;
  private readonly vocab = new Map<Lang, Vocabulary>();
  private readonly nameSet: Set<string>;
  /** Names that may carry an ending ("inggris" in "inggrisnya"), longest first. */
  private readonly gluable: string[];

  constructor(private readonly data: FollowUpPhrasesData) {
    this.names = Object.entries(data.language_names)
      .flatMap(([lang, names]) => (names ?? []).map((n) => ({ name: fold(n), lang: lang as Lang })))
      .sort((a, b) => b.name.length - a.name.length);
    this.nameSet = new Set(this.names.map((n) => n.name));
    this.gluable = this.names
      .map((n) => n.name)
      .filter((n) => !n.includes(' ') && !isUnspaced(n) && codePointLength(n) >= GLUE_MIN_NAME);
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

  /** At most this many words are negated ("not the wifi one") … */
  static readonly NEGATED_MAX_WORDS = 3;
  /** … and the topic meant after them is short ("the laundry room"): a longer one is a new question. */
  static readonly CORRECTION_MAX_WORDS = 4;

  /** The folded phrases of a kind in `lang` and English, longest first. */
  private phrases(kind: Exclude<keyof FollowUpPhrasesData, 'negation'>, lang: Lang): string[] {
    const key = `${kind} ${lang}`;
    let list = this.lists.get(key);
    if (!list) {
      list = ownAndEnglish(this.data[kind], lang).sort((a, b) => b.length - a.length);
      this.lists.set(key, list);
    }
    return list;
  }

  /** The word-level vocabulary of `lang` (its phrases and English ones, split into words). */
  private vocabulary(lang: Lang): Vocabulary {
    let v = this.vocab.get(lang);
    if (v) return v;
    const split = (list: readonly string[]) => list.flatMap((p) => words(fold(p), lang));
    const cues = new Map<string, Set<CueKind>>();
    const filler = new Set(split(this.phrases('filler', lang)));
    const add = (kind: CueKind, list: readonly string[]) => {
      for (const w of split(list)) if (!filler.has(w)) cues.set(w, (cues.get(w) ?? new Set()).add(kind));
    };
    for (const kind of CUE_KINDS) add(kind, this.phrases(kind, lang));
    // The schedule's own place words ("which room", "venue") ask "where" too.
    add('where', SCHEDULE_WORDS[lang].where);
    const timetable = new Set(split([...SCHEDULE_WORDS[lang].timetable, ...SCHEDULE_WORDS[lang].fillers]));
    v = { cues, filler, anotherDay: new Set(split(this.phrases('another_day', lang))), timetable };
    this.vocab.set(lang, v);
    return v;
  }

  /**
   * Reads a short message as a follow-up word by word, when no phrase matched whole: each word is
   * a cue of some kinds (from every phrase of the kind), filler, or unknown; typos and endings are
   * tolerated. The kind with the most distinctive cues wins; at most one unknown word is allowed
   * (two in a message of six words or more), and a tie is no answer.
   */
  classify(text: string, lang: Lang): Classified | undefined {
    const ws = words(fold(text), lang);
    if (ws.length === 0 || ws.length > MAX_WORDS) return undefined;
    const v = this.vocabulary(lang);
    const score = new Map<CueKind, number>();
    const unknown: string[] = [];
    for (const w of ws) {
      if (v.filler.has(w)) continue;
      const cue = knownWord(w, v.cues.keys(), (x) => v.cues.has(x));
      const kinds = cue ? v.cues.get(cue) : undefined;
      if (kinds) {
        for (const k of kinds) score.set(k, (score.get(k) ?? 0) + 1 / kinds.size);
        continue;
      }
      if (knownWord(w, v.filler, (x) => v.filler.has(x))) continue;
      unknown.push(w);
      // More unknown words than allowed: no follow-up, whatever the cues (cheap exit).
      if (unknown.length > (ws.length >= 6 ? 2 : 1)) return undefined;
    }
    const ranked = [...score].sort((a, b) => b[1] - a[1]);
    const [best, second] = ranked;
    if (!best || best[1] < 1 || (second && second[1] >= best[1])) return undefined;
    if (unknown.length > (ws.length >= 6 ? 2 : 1)) return undefined;
    return { kind: best[0], unknown };
  }

  /**
   * The words left in `rest` (the folded text once the date parser took the day out) that are
   * neither "and …?" words, filler nor timetable words, typos tolerated: "how bout" → [].
   */
  anotherDayLeftover(rest: string, lang: Lang): string[] | undefined {
    const ws = words(rest, lang);
    if (ws.length > MAX_WORDS) return undefined;
    const v = this.vocabulary(lang);
    const known = [...v.anotherDay, ...v.filler, ...v.timetable];
    const has = (x: string) => v.anotherDay.has(x) || v.filler.has(x) || v.timetable.has(x);
    return ws.filter((w) => !knownWord(w, known, has));
  }

  /** Whether every word of `text` is a filler word ("ok", "cool", "so"): an acknowledgement, no question. */
  onlyFiller(text: string, lang: Lang): boolean {
    const ws = words(fold(text), lang);
    const filler = this.vocabulary(lang).filler;
    return ws.length > 0 && ws.every((w) => filler.has(w));
  }

  /**
   * Whether `text` asks for the day after the one just answered ("the day after?", "その次の日は?",
   * "kinabukasan?"): a `day_after` phrase and nothing else but "and …?" words and filler.
   */
  dayAfter(text: string, lang: Lang): boolean {
    const phrases = this.phrases('day_after', lang);
    if (phrases.length === 0) return false;
    const r = removeAll(fold(text), phrases);
    if (!r.found) return false;
    const rest = removeAll(r.text, this.phrases('another_day', lang)).text;
    return this.onlyFillerLeft(rest, lang);
  }

  /**
   * Whether a correction's topic adds context to the question before ("for the koban visit",
   * "untuk kunjungan", "ziyaret için"): it opens or closes with a `meant_context` word.
   */
  addsContext(topic: string, lang: Lang): boolean {
    const folded = fold(topic).trim();
    const spaced = !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(folded);
    return this.phrases('meant_context', lang).some((p) =>
      spaced
        ? folded.startsWith(`${p} `) || folded.endsWith(` ${p}`)
        : folded.startsWith(p) || folded.endsWith(p),
    );
  }

  /** Whether `text` has a cue of a question about the answer just given ("what if …", "… olur mu"). */
  aboutLast(text: string, lang: Lang): boolean {
    const folded = fold(text);
    return this.phrases('about_last', lang).some((p) => remove(folded, p).found);
  }

  /** Takes the filler words out of already folded text. */
  private stripFiller(text: string, lang: Lang): string {
    return removeAll(text, this.phrases('filler', lang)).text;
  }

  private readonly fillerTokenSets = new Map<Lang, Set<string>>();

  /** The words (between spaces) of the filler phrases of `lang` and English. */
  private fillerTokens(lang: Lang): Set<string> {
    let set = this.fillerTokenSets.get(lang);
    if (!set) {
      set = new Set(this.phrases('filler', lang).flatMap((p) => p.split(/\s+/u)));
      this.fillerTokenSets.set(lang, set);
    }
    return set;
  }

  private readonly kindTokenSets = new Map<string, Set<string>>();

  /**
   * Whether every word (between spaces) of `folded` is a word of a `kind` phrase or a filler
   * phrase: in a spaced script, a message with another word cannot be only a phrase of the kind
   * and filler (phrases are removed whole, between spaces). True in unspaced scripts.
   */
  private onlyWordsOf(folded: string, kind: CueKind, lang: Lang): boolean {
    if (UNSPACED.has(lang) || isUnspaced(folded)) return true;
    const key = `${kind} ${lang}`;
    let set = this.kindTokenSets.get(key);
    if (!set) {
      set = new Set([
        ...this.phrases(kind, lang).flatMap((p) => p.split(/\s+/u)),
        ...this.fillerTokens(lang),
      ]);
      this.kindTokenSets.set(key, set);
    }
    for (const w of folded.split(/\s+/u)) if (w !== '' && !set.has(w)) return false;
    return true;
  }

  /**
   * Whether `empty(this.stripFiller(text, lang), lang)` may hold, told cheaply: in a spaced script
   * a phrase is removed only whole, between spaces, so a word that is in no filler phrase stays.
   * False means it does not hold; true, that stripping must tell.
   */
  private mayBeOnlyFiller(text: string, lang: Lang): boolean {
    if (UNSPACED.has(lang) || isUnspaced(text)) return true;
    const set = this.fillerTokens(lang);
    for (const w of text.split(/\s+/u)) if (w !== '' && !set.has(w)) return false;
    return true;
  }

  /** `empty(this.stripFiller(text, lang), lang)`, without stripping when a word is no filler. */
  private onlyFillerLeft(text: string, lang: Lang): boolean {
    return this.mayBeOnlyFiller(text, lang) && empty(this.stripFiller(text, lang), lang);
  }

  /** Reads `text` as a follow-up that needs no day, or returns undefined. */
  match(text: string, lang: Lang): FollowUp | undefined {
    const folded = fold(text);
    if (folded === '') return undefined;
    const found = this.negatedCorrection(text, lang) ?? this.matchWhole(folded, lang);
    // "pwede po in english, para sa roommate ko": read whole, "roommate" is a word beyond the
    // request (which may name a topic); read as a request and its reason, it is none.
    if (found?.kind === 'language' && found.unknown.length > 0)
      return this.languageWithReason(text, lang) ?? found;
    return found ?? this.languageWithReason(text, lang);
  }

  /**
   * "bukan wifi, laundry", "no not the wifi, the laundry", "wifi değil çamaşırhane", "وای‌فای نه،
   * لباسشویی": a correction that names what it does not mean, then what it means. The topic is
   * what follows the negated words (a comma may separate them; after a negation that follows the
   * word, none is needed), so the negated word does not pull the search back to the last answer.
   */
  private negatedCorrection(text: string, lang: Lang): FollowUp | undefined {
    const neg = this.data.negation;
    if (!neg) return undefined;
    // Words of each clause, with a comma token between clauses.
    const tokens = text
      .split(/[,，、;；،]/u)
      .flatMap((clause, i) => [...(i > 0 ? [COMMA] : []), ...words(fold(clause), lang)]);
    const before = this.negationWords(neg.before, lang, 'before');
    const after = this.negationWords(neg.after, lang, 'after');
    // Neither negation list has a word of the message: no correction of this form (cheap exit).
    if (!tokens.some((w) => before.has(w) || after.has(w))) return undefined;
    const meantWords = this.meantWords(lang);
    const filler = this.vocabulary(lang).filler;
    const negated = (ws: readonly string[]): boolean =>
      ws.length >= 1 &&
      ws.length <= FollowUpPhrases.NEGATED_MAX_WORDS &&
      !ws.includes(COMMA) &&
      ws.some((w) => !filler.has(w) && !meantWords.has(w));
    let topic: string[] | undefined;
    // "not X, Y" / "no, not X, Y": the negation opens the message (after an optional "no").
    const start = tokens.findIndex((w) => before.has(w));
    const comma = tokens.indexOf(COMMA, start + 1);
    if (start >= 0 && start <= 2 && comma > 0 && negated(tokens.slice(start + 1, comma)))
      topic = tokens.slice(comma + 1);
    // "X değil, Y" / "X değil Y" / "X نه، Y".
    if (topic === undefined) {
      const at = tokens.findIndex((w, i) => i >= 1 && i <= FollowUpPhrases.NEGATED_MAX_WORDS && after.has(w));
      if (at >= 1 && negated(tokens.slice(0, at))) topic = tokens.slice(at + 1);
    }
    if (topic === undefined) return undefined;
    const joined = topic.filter((w) => w !== COMMA).join(' ');
    const rest = this.stripFiller(removeAll(joined, this.phrases('meant', lang)).text, lang);
    const n = words(rest, lang).length;
    if (n === 0 || n > FollowUpPhrases.CORRECTION_MAX_WORDS || empty(rest, lang)) return undefined;
    return { kind: 'meant', topic: rest };
  }

  private readonly meantWordSets = new Map<Lang, Set<string>>();
  /** The words of the `meant` phrases of `lang` (and English), built once per language. */
  private meantWords(lang: Lang): Set<string> {
    let set = this.meantWordSets.get(lang);
    if (!set) {
      set = new Set(words(this.phrases('meant', lang).join(' '), lang));
      this.meantWordSets.set(lang, set);
    }
    return set;
  }

  private readonly negationSets = new Map<string, Set<string>>();
  /** A negation list of `lang` (and English), as folded single words. */
  private negationWords(list: Partial<Record<Lang, string[]>>, lang: Lang, side: string): Set<string> {
    const key = `${lang} ${side}`;
    let set = this.negationSets.get(key);
    if (!set) {
      set = new Set(ownAndEnglish(list, lang).filter((w) => !w.includes(' ')));
      this.negationSets.set(key, set);
    }
    return set;
  }

  /**
   * "in Indonesian pls, for my roommate", "英語でお願いします（同期に見せたいので）": a language
   * request, then a clause that is not a question (a reason, a remark): still the request. A
   * question after it ("in English please, where is the prayer room?") is not.
   */
  private languageWithReason(text: string, lang: Lang): FollowUp | undefined {
    const m = CLAUSE_AFTER.exec(text.trim()) ?? SENTENCE_AFTER.exec(text.trim());
    const head = m?.[1];
    const tail = m?.[2];
    if (!head || !tail) return this.languageBesideReason(text, lang);
    const found = QUESTION_MARK.test(tail) ? undefined : this.language(fold(head), lang);
    if (!found || found.unknown.length > 0) {
      // The reason first: "hocaya göstermem lazım, japonca yazabilir misin".
      const request = QUESTION_MARK.test(head) ? undefined : this.language(fold(tail), lang);
      if (!request || request.unknown.length > 0) return this.languageBesideReason(text, lang);
      const reasonFirst = words(fold(head), lang);
      if (reasonFirst.length === 0 || reasonFirst.length > MAX_WORDS) return undefined;
      return { kind: 'language', target: request.target, unknown: [] };
    }
    const reason = words(fold(tail), lang);
    if (reason.length === 0 || reason.length > MAX_WORDS) return undefined;
    return { kind: 'language', target: found.target, unknown: [] };
  }

  /**
   * A language request and a reason with no comma between them: the request before a `reason`
   * word ("paki-japanese po | para maipakita ko sa sensei") or after the reason that word closes
   * ("arkadaşım için | ingilizce yazar mısın"). The request must be whole (no word beyond its own);
   * the reason may not be a question.
   */
  private languageBesideReason(text: string, lang: Lang): FollowUp | undefined {
    const reasons = this.phrases('reason', lang);
    if (reasons.length === 0 || QUESTION_MARK.test(text.replace(/[?？؟]\s*$/u, ''))) return undefined;
    const folded = fold(text);
    if (!reasons.some((r) => folded.includes(r))) return undefined;
    const ws = words(folded, lang);
    if (ws.length > MAX_WORDS * 2) return undefined;
    const glue = UNSPACED.has(lang) || isUnspaced(ws.join('')) ? '' : ' ';
    const request = (part: readonly string[]): Lang | undefined => {
      if (part.length === 0 || part.length > MAX_WORDS) return undefined;
      const found = this.language(part.join(glue), lang);
      return found && found.unknown.length === 0 ? found.target : undefined;
    };
    for (let i = 1; i < ws.length; i++) {
      // Reason phrases of up to three words ("so that", Thai "จะ|เอา|ไป").
      for (const n of [3, 2, 1]) {
        if (!reasons.includes(ws.slice(i, i + n).join(glue))) continue;
        const target = request(ws.slice(0, i)) ?? request(ws.slice(i + n));
        if (target) return { kind: 'language', target, unknown: [] };
      }
    }
    return undefined;
  }

  private matchWhole(folded: string, lang: Lang): FollowUp | undefined {
    // Of the kinds that read the whole message, the one whose longest phrase found is longest
    // wins: "tapos ano na" is "and then what?" (next), though "tapos" alone asks when it ends.
    let best: { kind: CueKind; length: number } | undefined;
    for (const kind of TEXT_KINDS) {
      if (kind === 'language') {
        const found = this.language(folded, lang);
        if (found) return { kind, ...found };
        continue;
      }
      // Beside a kind that must leave nothing, a word of neither its phrases nor filler: not it.
      if (kind !== 'meant' && !this.onlyWordsOf(folded, kind, lang)) continue;
      const part = kind === 'meant' ? this.meantPart(folded, lang) : undefined;
      const r = removeAll(part?.meant ?? folded, this.phrases(kind, lang));
      if (!r.found) continue;
      if (kind === 'meant') {
        const rest = this.stripFiller(r.text, lang);
        if (empty(rest, lang)) continue;
        const found: FollowUp = { kind, topic: rest, context: this.addsContext(r.text, lang) };
        return {
          ...found,
          ...(part?.notMeant ? { notMeant: part.notMeant } : {}),
          ...(r.text !== rest ? { said: r.text } : {}),
        };
      }
      if (!this.onlyFillerLeft(r.text, lang)) continue;
      const length = this.longestFound(folded, kind, lang);
      if (!best || length > best.length) best = { kind, length };
    }
    return best && { kind: best.kind };
  }

  /**
   * A correction without what it says it does not mean: "i meant the visitors | not the trainees",
   * "หมายถึงคณะผู้แทน | ไม่ใช่ผู้เข้าอบรม". Cut at the first `not_meant` word that follows a `meant`
   * phrase and a topic word; "not that, i mean the visit" (the negation first) is left whole.
   */
  private meantPart(folded: string, lang: Lang): { meant: string; notMeant?: string } {
    const meant = this.phrases('meant', lang);
    let cut: { meant: string; notMeant: string } | undefined;
    for (const p of this.phrases('not_meant', lang)) {
      if (!folded.includes(p)) continue;
      const re = isUnspaced(p)
        ? new RegExp(escapeRegExp(p), 'gu')
        : new RegExp(`(?<=\\s)${escapeRegExp(p)}(?=\\s|$)`, 'gu');
      for (const m of folded.matchAll(re)) {
        const before = folded.slice(0, m.index).trim();
        if (before === '' || (cut !== undefined && before.length >= cut.meant.length)) continue;
        const r = removeAll(before, meant);
        const after = folded.slice(m.index + p.length).trim();
        if (r.found && !empty(this.stripFiller(r.text, lang), lang)) cut = { meant: before, notMeant: after };
        break;
      }
    }
    return cut ?? { meant: folded };
  }

  /** The length of the longest phrase of `kind` that `folded` holds (as `remove` finds it). */
  private longestFound(folded: string, kind: CueKind, lang: Lang): number {
    for (const p of this.phrases(kind, lang)) if (remove(folded, p).found) return codePointLength(p);
    return 0;
  }

  /** "in Japanese please", "日本語で": a language name and nothing else but language words and filler. */
  private language(folded: string, lang: Lang): { target: Lang; unknown: string[] } | undefined {
    let target: Lang | undefined;
    let rest = this.unglue(folded);
    for (const { name, lang: l } of this.names) {
      const r = remove(rest, name);
      if (!r.found) continue;
      if (target && target !== l) return undefined;
      target = l;
      rest = r.text;
    }
    if (!target) return undefined;
    const request = removeAll(rest, this.phrases('language', lang));
    // Without a request word, only filler may be left beside the name (below): told cheaply first.
    if (!request.found && !this.mayBeOnlyFiller(request.text, lang)) return undefined;
    rest = this.stripFiller(request.text, lang);
    if (empty(rest, lang)) return { target, unknown: [] };
    // A name beside other words is a request only with a request word ("write it in japanese"):
    // "viet lai" (write again), "japanese garden?" name no language to answer in.
    if (!request.found) return undefined;
    // "can u write it in japanese": one word beyond the phrases, in a short message, still asks.
    const v = this.vocabulary(lang);
    const lw = new Set(words(this.phrases('language', lang).join(' '), lang));
    const known = [...v.filler, ...lw];
    const unknown = words(rest, lang).filter(
      (w) => !knownWord(w, known, (x) => v.filler.has(x) || lw.has(x)),
    );
    if (unknown.length > 1 || words(folded, lang).length > MAX_WORDS) return undefined;
    return { target, unknown };
  }

  /**
   * A language name with an ending or a hyphenated prefix glued on, as its bare name:
   * "inggrisnya", "ingilizceye", "انگلیسیش", "i-english", "paki-english". Only names of one word and
   * `GLUE_MIN_NAME` letters or more take an ending, and of at most `GLUE_MAX_ENDING` letters.
   */
  private unglue(folded: string): string {
    if (isUnspaced(folded)) return folded;
    let changed = false;
    const out = folded.split(' ').map((token) => {
      if (this.nameSet.has(token)) return token;
      const bare = token.includes('-') ? token.slice(token.lastIndexOf('-') + 1) : token;
      if (this.nameSet.has(bare)) {
        changed = true;
        return bare;
      }
      for (const name of this.gluable) {
        if (bare.startsWith(name) && codePointLength(bare) - codePointLength(name) <= GLUE_MAX_ENDING) {
          changed = true;
          return name;
        }
      }
      return token;
    });
    return changed ? out.join(' ') : folded;
  }

  /**
   * Whether `rest` (the folded text once the schedule's date parser took the day out) is only an
   * "and …?" follow-up's words: "and", "what about", filler.
   */
  onlyAnotherDay(rest: string, lang: Lang): boolean {
    const r = removeAll(rest, this.phrases('another_day', lang));
    return this.onlyFillerLeft(r.text, lang);
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
export function readFollowUpPhrases(knowledgeDir: string, yaml: YamlReader = readYaml): FollowUpPhrases {
  const path = join(knowledgeDir, FOLLOW_UPS_FILE);
  if (!existsSync(path)) return FollowUpPhrases.empty;
  let raw: unknown;
  try {
    raw = yaml(path);
  } catch (err) {
    throw new FollowUpPhrasesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = followUpPhrasesSchema.safeParse(raw);
  if (!parsed.success) throw new FollowUpPhrasesError(`${path}: ${z.prettifyError(parsed.error)}`);
  return new FollowUpPhrases(parsed.data);
}
