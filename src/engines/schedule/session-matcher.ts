/**
 * Finds sessions by name: "koban site visit", "開講式", "lễ khai giảng", "parmak izi dersi". Titles and
 * aliases in every language count; small typos are forgiven; a word shared by many sessions
 * ("lecture", "visit") is weak evidence on its own.
 */
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { editDistance, typoBudget } from '../knowledge/fuzzy.js';
import type { GlossaryConcept } from '../knowledge/glossary.js';
import { STOP_WORDS } from '../knowledge/stop-words.js';
import type { Course, Session } from './course-file.js';
import { fold, take, UNSPACED } from './normalize.js';
import { onScheduleWordsChange, SCHEDULE_WORDS } from './schedule-words.js';

const segmenters = new Map<Lang, Intl.Segmenter>();
const foldedStops = new Map<Lang, Set<string>>();
onScheduleWordsChange(() => foldedStops.clear());

function stops(lang: Lang): Set<string> {
  let set = foldedStops.get(lang);
  if (!set) {
    // English function words are mixed into most languages, but in Vietnamese "be", "do" are words.
    const english = lang === 'vi' ? [] : [...STOP_WORDS.en];
    set = new Set([...STOP_WORDS[lang], ...english, ...SCHEDULE_WORDS[lang].fillers].map(fold));
    foldedStops.set(lang, set);
  }
  return set;
}

const foldedFillerPhrases = new Map<Lang, string[]>();
onScheduleWordsChange(() => foldedFillerPhrases.clear());

/**
 * Fillers of two characters or more in unspaced scripts ("教えて", "ください", "หน่อย"), longest
 * first: the segmenter cuts them differently in each sentence ("くだ" "さい"), so they are taken out
 * of the text before it is cut into words.
 */
export function fillerPhrases(lang: Lang): readonly string[] {
  let list = foldedFillerPhrases.get(lang);
  if (!list) {
    list = UNSPACED.has(lang)
      ? [...new Set(SCHEDULE_WORDS[lang].fillers.map(fold))]
          .filter((f) => [...f].length >= 2)
          .sort((a, b) => b.length - a.length)
      : [];
    foldedFillerPhrases.set(lang, list);
  }
  return list;
}

/**
 * Recent contentWords results per stop-word set and text: one question is read several times. Keyed
 * by the set itself, so new stop words (new schedule words) start a new cache.
 */
const wordsCache = new WeakMap<Set<string>, Map<string, readonly string[]>>();

/** Folded words of `text` (already folded or not), stop words removed. */
export function contentWords(text: string, lang: Lang): string[] {
  const stop = stops(lang);
  let byText = wordsCache.get(stop);
  if (!byText) {
    byText = new Map();
    wordsCache.set(stop, byText);
  }
  let words = byText.get(text);
  if (!words) {
    if (byText.size >= 10_000) byText.clear();
    words = segmentWords(text, lang);
    byText.set(text, words);
  }
  return [...words];
}

function segmentWords(text: string, lang: Lang): string[] {
  let seg = segmenters.get(lang);
  if (!seg) {
    seg = new Intl.Segmenter(lang === 'tl' ? 'fil' : lang, { granularity: 'word' });
    segmenters.set(lang, seg);
  }
  const stop = stops(lang);
  const out: string[] = [];
  let folded = fold(text);
  for (const f of fillerPhrases(lang)) if (folded.includes(f)) folded = folded.split(f).join(' ');
  for (const s of seg.segment(folded)) {
    if (!s.isWordLike) continue;
    for (const part of s.segment.split(/[:/.\-()]+/u))
      if (part && !stop.has(part) && !/^\d+$/.test(part)) out.push(part);
  }
  return out;
}

interface Name {
  lang: Lang;
  words: string[];
  folded: string;
}

/** Each session's names (titles, aliases, glossary words) by `course/session` id, as `names()` gives them. */
export type SessionNames = ReadonlyMap<string, Name[]>;

interface Entry {
  session: Session;
  names: Name[];
}

export interface SessionMatch {
  /** The best-matching sessions (ties), in chronological order. */
  sessions: Session[];
  /** Share of the query's session words found in the best title (0..1). */
  score: number;
  /** True when the match names something specific, not only a common word like "lecture". */
  strong: boolean;
  /** How many of the question's words the best title matched. */
  words: number;
}

/** Letters a question word needs to match a word of a name in another language (not English). */
const CROSS_LANGUAGE_MIN = 4;
/** A word in a script written without spaces (its length says little). */
const UNSPACED_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** What each question word found only in another of a session's names adds to its score. */
const UNION_BONUS = 0.001;

/** An index over every session title and alias of a set of courses. */
export class SessionIndex {
  private readonly entries: Entry[] = [];
  /** Per question language and word: the names it matches (questions reuse a small vocabulary). */
  private readonly matchCache = new Map<Lang, Map<string, ReadonlySet<Name>>>();
  /** The entry (its position in `entries`) each name belongs to. */
  private readonly entryOf = new Map<Name, number>();

  /**
   * `glossary` concepts found in a session's title or aliases (in the same language) lend it their
   * words in every language: "Lecture: Footwear and tool mark analysis" is also "shoe print",
   * "jejak sepatu", "رد پای کفش".
   */
  constructor(
    courses: readonly Course[],
    glossary: readonly GlossaryConcept[] = [],
    /** Names saved from an index of the same courses and glossary (the schedule cache): not derived again. */
    saved?: SessionNames,
  ) {
    for (const course of courses) {
      for (const session of course.sessions) {
        const restored = saved?.get(`${course.id}/${session.id}`);
        if (restored) {
          for (const n of restored) this.entryOf.set(n, this.entries.length);
          this.entries.push({ session, names: restored });
          continue;
        }
        const names: Name[] = [];
        for (const lang of LANGUAGES) {
          const texts = [session.title[lang], ...(session.aliases[lang] ?? [])].filter(
            (t): t is string => typeof t === 'string',
          );
          for (const t of texts) names.push({ lang, words: contentWords(t, lang), folded: fold(t) });
        }
        // Concept words found in the session's own names; a word inside a longer found word
        // ("ลายนิ้วมือ" in "ลายนิ้วมือแฝง", latent prints) does not name its concept.
        const found = glossary.map((concept) =>
          names.flatMap((n) =>
            (concept.words[n.lang] ?? [])
              .map((w) => fold(w))
              .filter((w) => take(n.folded, w, n.lang) !== undefined),
          ),
        );
        const all = found.flat();
        glossary.forEach((concept, i) => {
          const own = found[i] ?? [];
          if (!own.some((w) => !all.some((longer) => longer.length > w.length && longer.includes(w)))) return;
          for (const lang of LANGUAGES) {
            for (const w of concept.words[lang] ?? []) {
              const words = contentWords(w, lang);
              if (words.length > 0) names.push({ lang, words, folded: fold(w) });
            }
          }
        });
        for (const n of names) this.entryOf.set(n, this.entries.length);
        this.entries.push({ session, names });
      }
    }
  }

  /** Every session's names by `course/session` id, to be saved with the timetables. */
  names(): SessionNames {
    return new Map(this.entries.map((e) => [`${e.session.courseId}/${e.session.id}`, e.names]));
  }

  private wordMatches(q: string, w: string, fuzzy = true): boolean {
    if (q === w) return true;
    if (!fuzzy) return false;
    if (w.length >= 4 && q.startsWith(w) && q.length - w.length <= 5) return true;
    if (q.length >= 5 && w.startsWith(q)) return true;
    const budget = typoBudget(w);
    return budget > 0 && editDistance(q, w, budget) <= budget;
  }

  /** The share of `name`'s words that the question word `q` matches. */
  private coverage(q: string, name: Name): number {
    let n = 0;
    for (const w of name.words) if (this.wordMatches(q, w, true)) n++;
    return n / name.words.length;
  }

  private nameMatches(q: string, name: Name, lang: Lang): boolean {
    // Typos and endings are forgiven within the question's language (and English), not across.
    const fuzzy = name.lang === lang || name.lang === 'en';
    // A short word of another language's name matches by accident: tl "lay" is not vi "lấy" (take),
    // tr "tu" is not vi "tự" (self). Across languages a word needs `CROSS_LANGUAGE_MIN` letters.
    if (!fuzzy && [...q].length < CROSS_LANGUAGE_MIN && !UNSPACED_WORD.test(q)) return false;
    if (name.words.some((w) => this.wordMatches(q, w, fuzzy))) return true;
    // Japanese compounds segment differently in a title and a question; Thai syllables nest (ปิด in เปิด).
    return lang === 'ja' && [...q].length >= 2 && name.folded.includes(q);
  }

  /** The names (of every session) that the question word `q` matches, remembered per language. */
  private namesMatching(q: string, lang: Lang): ReadonlySet<Name> {
    let byWord = this.matchCache.get(lang);
    if (!byWord) {
      byWord = new Map();
      this.matchCache.set(lang, byWord);
    }
    let names = byWord.get(q);
    if (!names) {
      const found = new Set<Name>();
      for (const e of this.entries) for (const n of e.names) if (this.nameMatches(q, n, lang)) found.add(n);
      if (byWord.size >= 10_000) byWord.clear();
      byWord.set(q, found);
      names = found;
    }
    return names;
  }

  /**
   * True when a word of `text` (a question in `lang`) is a word of some session's name, as `match`
   * counts words (any course): without one, `match` finds no session in `text` nor in any text made
   * of some of its words.
   */
  mayName(text: string, lang: Lang): boolean {
    for (const q of contentWords(text, lang)) if (this.namesMatching(q, lang).size > 0) return true;
    return false;
  }

  /** Sessions named in `text` (a question in `lang`), restricted to `courseIds` when given. */
  match(
    text: string,
    lang: Lang,
    courseIds?: ReadonlySet<string>,
    among?: ReadonlySet<Session>,
  ): SessionMatch {
    const allowed = (e: Entry): boolean =>
      (!courseIds || courseIds.has(e.session.courseId)) && (!among || among.has(e.session));
    const words = [...new Set(contentWords(text, lang))];
    const matching = new Map(words.map((q) => [q, this.namesMatching(q, lang)]));
    // The allowed entries each word names (by position in `entries`), through the names it matches.
    const named = new Map<string, Set<number>>();
    for (const [q, names] of matching) {
      const at = new Set<number>();
      for (const n of names) {
        const i = this.entryOf.get(n);
        const e = i === undefined ? undefined : this.entries[i];
        if (i !== undefined && e && allowed(e)) at.add(i);
      }
      named.set(q, at);
    }
    // Only words that belong to some session name say which session is meant.
    const vocab = words.filter((q) => (named.get(q)?.size ?? 0) > 0);
    const none: SessionMatch = { sessions: [], score: 0, strong: false, words: 0 };
    if (vocab.length === 0) return none;
    // The words of `vocab` each name matches, in vocab order (names no word matches are absent).
    const hitsOf = new Map<Name, string[]>();
    for (const q of vocab) {
      for (const n of matching.get(q) ?? []) {
        const qs = hitsOf.get(n);
        if (qs) qs.push(q);
        else hitsOf.set(n, [q]);
      }
    }
    // How many sessions each question word could mean: "koban" means many, "afis" one.
    const reach = new Map(vocab.map((q) => [q, named.get(q)?.size ?? 0]));
    // Only entries some word names can score; visited in index order, as a full scan would.
    const candidates = new Set<number>();
    for (const q of vocab) for (const i of named.get(q) ?? []) candidates.add(i);
    let best = 0;
    let bestSessions: Session[] = [];
    let strong = false;
    let bestWords = 0;
    for (const i of [...candidates].sort((a, b) => a - b)) {
      const e = this.entries[i] as Entry;
      let score = 0;
      let isStrong = false;
      let hits = 0;
      // Words found in any of the session's names in the question's language: a title word and a
      // glossary word together ("kunjungan" "NRIPS") name it better than either name alone.
      const union = new Set<string>();
      for (const name of e.names) {
        const qs = hitsOf.get(name);
        if (!qs) continue;
        const hit = qs.length;
        const only = qs[0] as string;
        if (name.lang === lang) for (const q of qs) union.add(q);
        const s = hit / vocab.length;
        // One word names a session only when it is the whole question, is spelled right, means
        // at most two sessions, and is a good part of the title ("exam", "tea ceremony").
        const st =
          hit >= 2 ||
          (s === 1 &&
            name.words.some((w) => w === only || w.startsWith(only) || only.startsWith(w)) &&
            (reach.get(only) ?? 99) <= 2 &&
            this.coverage(only, name) >= 0.34);
        if (s > score || (s === score && st)) {
          score = s;
          isStrong = st;
          hits = hit;
        }
      }
      if (score === 0) continue;
      if (union.size > hits) {
        // Only a tie-breaker: one name holding the words ("fingerprint lecture") still wins.
        score += (union.size - hits) * UNION_BONUS;
        isStrong = true;
        hits = union.size;
      }
      if (score > best + 1e-9) {
        best = score;
        bestSessions = [e.session];
        strong = isStrong;
        bestWords = hits;
      } else if (Math.abs(score - best) < 1e-9) {
        bestSessions.push(e.session);
        strong ||= isStrong;
        bestWords = Math.max(bestWords, hits);
      }
    }
    if (best < 0.5) return none;
    if (bestSessions.length > 1) {
      const fullest = this.fullest(bestSessions, candidates, hitsOf, text, lang);
      bestSessions = fullest.sessions;
      // Two question words that both name one session alone ("NRIPS trip") name it plainly.
      if (fullest.sessions.length === 1 && fullest.cover >= 2 && fullest.cover > bestWords) {
        strong = true;
        bestWords = fullest.cover;
      }
    }
    bestSessions.sort((a, b) => a.start.toMillis() - b.start.toMillis());
    return { sessions: bestSessions, score: best, strong, words: bestWords };
  }

  /**
   * Of sessions that tie on their best name, the ones whose names (in the question's language or
   * English) together hold the most of the question's words ("koban Shinjuku visit": the Shinjuku one, not every koban visit), then the
   * ones whose title holds a number of the question ("mock scene day 1"), then the ones whose names
   * hold the most of those words as they are, not only within a typo: unaccented Vietnamese "phong
   * chong toi pham" is one letter from "thong" (traffic) and "phong ngua" (juvenile) in every word,
   * and names crime prevention alone.
   */
  private fullest(
    tied: Session[],
    candidates: ReadonlySet<number>,
    hitsOf: ReadonlyMap<Name, readonly string[]>,
    text: string,
    lang: Lang,
  ): { sessions: Session[]; cover: number } {
    const numbers = fold(text).match(/\d+/gu) ?? [];
    const rank = new Map<Session, number>();
    const covers = new Map<Session, number>();
    const exact = new Map<Session, number>();
    const isTied = new Set(tied);
    for (const i of candidates) {
      const e = this.entries[i] as Entry;
      if (!isTied.has(e.session)) continue;
      // Names in the question's language or English: id "mau" (want) is not vi "mẫu" (sample).
      const covered = new Set<string>();
      const same = new Set<string>();
      for (const n of e.names) {
        if (n.lang !== lang && n.lang !== 'en') continue;
        for (const q of hitsOf.get(n) ?? []) {
          covered.add(q);
          if (n.words.includes(q)) same.add(q);
        }
      }
      exact.set(e.session, same.size);
      const cover = covered.size;
      const numbered =
        numbers.length > 0 &&
        numbers.some((d) => e.names.some((n) => n.folded.split(/[^\p{L}\p{N}]+/u).includes(d)));
      rank.set(e.session, cover * 2 + (numbered ? 1 : 0));
      covers.set(e.session, cover);
    }
    const top = Math.max(...rank.values());
    const fullest = tied.filter((s) => rank.get(s) === top);
    const most = Math.max(...fullest.map((s) => exact.get(s) ?? 0));
    const sessions = fullest.filter((s) => (exact.get(s) ?? 0) === most);
    return { sessions, cover: Math.min(...sessions.map((s) => covers.get(s) ?? 0)) };
  }
}
