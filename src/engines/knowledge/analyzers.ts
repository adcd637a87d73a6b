/**
 * One analyzer per language: text → the terms lunr indexes and queries. Each language gets real
 * word segmentation (ICU's dictionary segmenter through Intl.Segmenter for Japanese and Thai), its
 * own stop words and its own stemmer (lunr's for English, lunr-languages' Snowball for Turkish,
 * @nlpjs for Indonesian and Tagalog, a light suffix stripper for Persian).
 */
import { StemmerId } from '@nlpjs/lang-id';
import { StemmerTl } from '@nlpjs/lang-tl';
import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import lunrTr from 'lunr-languages/lunr.tr.js';
import type { Lang } from '../../core/languages.js';
import { foldDiacritics } from '../../core/text.js';
import { STOP_WORDS } from './stop-words.js';

stemmerSupport(lunr);
lunrTr(lunr);
type TokenFn = (token: lunr.Token) => lunr.Token | undefined;
const lunrTrStemmer = (lunr as unknown as { tr: { stemmer: TokenFn } }).tr.stemmer;

export interface Analyzer {
  readonly lang: Lang;
  /** Terms for indexing and querying, in text order (duplicates kept). */
  analyze(text: string): string[];
}

const segmenters = new Map<string, Intl.Segmenter>();
/** Scripts written without spaces between words, which need a dictionary segmenter. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The last text split on non-letters and its words: the FAQ search reads one question with several
 * languages' analyzers, and most prepare it to the same text (only Turkish lowercases otherwise).
 * Callers only read the array.
 */
let lastSpaced: { text: string; words: readonly string[] } | undefined;

function words(text: string, locale: string): readonly string[] {
  // Splitting on non-letters is exact for space-separated scripts and far cheaper than ICU.
  if (!UNSPACED.test(text)) {
    if (lastSpaced?.text !== text) lastSpaced = { text, words: text.match(WORD) ?? [] };
    return lastSpaced.words;
  }
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, segmenter);
  }
  const out: string[] = [];
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    for (const part of s.segment.match(WORD) ?? []) out.push(part);
  }
  return out;
}

function lunrStem(fn: TokenFn, word: string): string {
  return fn(new lunr.Token(word, {}))?.toString() ?? word;
}

/**
 * Turkish Snowball takes one layer of suffixes per pass, so an inflected word and its bare form
 * stop at different stems ("wifiye" -> "wifi", "wifi" -> "wif"): stemming again until nothing
 * changes brings both to one stem.
 */
function turkishStem(word: string): string {
  let term = word;
  for (let i = 0; i < 4; i++) {
    const next = lunrStem(lunrTrStemmer, term);
    if (next === term || next.length < 2) break;
    term = next;
  }
  return term;
}

/** Turkish writes a suffix after an apostrophe on names and loanwords ("wifi'ye", "Japonya'da"): the word is before it. */
const TR_APOSTROPHE_SUFFIX = /(\p{L})['’‘`]\p{L}+/gu;

/** Informal Indonesian chat spellings → standard words, before stemming. */
const ID_INFORMAL: Record<string, string> = {
  gmn: 'bagaimana',
  gimana: 'bagaimana',
  bgmn: 'bagaimana',
  gak: 'tidak',
  ga: 'tidak',
  nggak: 'tidak',
  enggak: 'tidak',
  tdk: 'tidak',
  yg: 'yang',
  dgn: 'dengan',
  utk: 'untuk',
  untk: 'untuk',
  sy: 'saya',
  aku: 'saya',
  kpn: 'kapan',
  brp: 'berapa',
  bs: 'bisa',
  dmn: 'dimana',
  krn: 'karena',
  tsb: 'tersebut',
  pake: 'pakai',
  foto2: 'foto',
  udah: 'sudah',
  udh: 'sudah',
  dah: 'sudah',
  sdh: 'sudah',
  kalo: 'kalau',
  klo: 'kalau',
  jg: 'juga',
  aja: 'saja',
  apaan: 'apa',
  tau: 'tahu',
  gk: 'tidak',
  blm: 'belum',
  lg: 'lagi',
  bgt: 'banget',
};

const idStemmer = new StemmerId();
const tlStemmer = new StemmerTl();

function persianNormalize(text: string): string {
  return text
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/[أإٱآ]/g, 'ا')
    .replace(/ؤ/g, 'و')
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\u200C/g, ' ');
}

function persianStem(word: string): string {
  for (const suffix of ['هایی', 'های', 'ها', 'ترین', 'تر']) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Adds "a_b" terms for adjacent words, so multi-syllable words (Vietnamese) match as a unit. */
function withBigrams(terms: string[]): string[] {
  const out = [...terms];
  for (let i = 0; i + 1 < terms.length; i++) out.push(`${terms[i]}_${terms[i + 1]}`);
  return out;
}

/** How a script written without spaces is cut into overlapping character groups. */
interface CharGrams {
  /** Runs of the script. */
  run: RegExp;
  /** Characters kept inside a run (Thai: consonants only, so vowel and tone-mark typos still meet). */
  keep?: RegExp;
  size: number;
  /** A group is kept only when one of its characters matches (Japanese: a kanji or katakana). */
  needs?: RegExp;
}

/**
 * Overlapping character groups ("落と", "とし"), added to the words so that inflected and
 * differently segmented forms still meet (落とした / 落とし物, 見回る / 見回り); marked with "_"
 * like Vietnamese syllable pairs.
 */
function charGrams(text: string, g: CharGrams): string[] {
  const out: string[] = [];
  for (const run of text.match(g.run) ?? []) {
    const chars = [...run].filter((c) => !g.keep || g.keep.test(c));
    for (let i = 0; i + g.size <= chars.length; i++) {
      const group = chars.slice(i, i + g.size);
      if (!g.needs || group.some((c) => g.needs?.test(c))) out.push(`${group.join('')}_`);
    }
  }
  return out;
}

const JA_GRAMS: CharGrams = {
  run: /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー]+/gu,
  size: 2,
  needs: /[\p{Script=Han}\p{Script=Katakana}]/u,
};
const TH_GRAMS: CharGrams = { run: /\p{Script=Thai}+/gu, keep: /[\u0E01-\u0E2E]/u, size: 3 };

/** Locales whose lowercasing differs from the default one (Turkish, Azerbaijani: dotted and dotless i; Lithuanian). */
const LOCALE_CASE: ReadonlySet<string> = new Set(['tr', 'az', 'lt']);
/** The last text prepared: its NFKC form and lowercased forms (shared by the analyzers of one question). */
let lastPrepared: { text: string; nfkc: string; lower: Map<string, string> } | undefined;

/** `text.normalize('NFKC').toLocaleLowerCase(locale)`, remembered for the last text. */
function prepare(text: string, locale: string): string {
  if (lastPrepared?.text !== text) lastPrepared = { text, nfkc: text.normalize('NFKC'), lower: new Map() };
  // Outside LOCALE_CASE, locale lowercasing is the default one: every such locale shares it.
  const key = LOCALE_CASE.has(locale) ? locale : '';
  let out = lastPrepared.lower.get(key);
  if (out === undefined) {
    out = key ? lastPrepared.nfkc.toLocaleLowerCase(key) : lastPrepared.nfkc.toLowerCase();
    lastPrepared.lower.set(key, out);
  }
  return out;
}

function make(
  lang: Lang,
  locale: string,
  stem: (word: string) => string,
  opts: { fold?: 'before' | 'after'; bigrams?: boolean; grams?: CharGrams } = {},
): Analyzer {
  const stop = STOP_WORDS[lang];
  // Stemming dominates analysis time and chat reuses a small vocabulary: remember each word's term.
  const memo = new Map<string, string>();
  const termOf = (raw: string): string => {
    const cached = memo.get(raw);
    if (cached !== undefined) return cached;
    // Own keys only: a user's word must never find Object.prototype members ("constructor").
    const word = lang === 'id' && Object.hasOwn(ID_INFORMAL, raw) ? (ID_INFORMAL[raw] ?? raw) : raw;
    const folded = foldDiacritics(word);
    let term = '';
    if (!stop.has(word) && !stop.has(folded)) {
      term = stem(opts.fold === 'before' ? folded : word);
      if (opts.fold === 'after') term = foldDiacritics(term);
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(raw, term);
    return term;
  };
  return {
    lang,
    analyze(text: string): string[] {
      let prepared = prepare(text, locale);
      if (lang === 'fa') prepared = persianNormalize(prepared);
      if (lang === 'tr') prepared = prepared.replace(TR_APOSTROPHE_SUFFIX, '$1');
      // Reduplicated words are one word with its own meaning: "oleh-oleh" (souvenirs) is not "oleh".
      if (lang === 'id' || lang === 'tl') prepared = prepared.replace(/(\p{L}+)-\1(?!\p{L})/gu, '$1$1');
      const out: string[] = [];
      for (const word of words(prepared, locale)) {
        const term = termOf(word);
        if (term) out.push(term);
      }
      if (opts.grams) out.push(...charGrams(prepared, opts.grams));
      return opts.bigrams ? withBigrams(out) : out;
    },
  };
}

const identity = (w: string): string => w;
const MEMO_LIMIT = 50_000;

const ANALYZERS: Record<Lang, Analyzer> = {
  en: make('en', 'en', (w) => lunrStem(lunr.stemmer as unknown as TokenFn, foldDiacritics(w))),
  ja: make('ja', 'ja', identity, { grams: JA_GRAMS }),
  id: make('id', 'id', (w) => (/^\p{L}+$/u.test(w) && w.length > 3 ? idStemmer.stem(w) : w)),
  vi: make('vi', 'vi', identity, { fold: 'before', bigrams: true }),
  th: make('th', 'th', identity, { grams: TH_GRAMS }),
  tl: make('tl', 'fil', (w) => (/^\p{L}+$/u.test(w) && w.length > 4 ? tlStemmer.stem(w) : w)),
  tr: make('tr', 'tr', turkishStem, { fold: 'after' }),
  fa: make('fa', 'fa', persianStem),
};

export function analyzerFor(lang: Lang): Analyzer {
  return ANALYZERS[lang];
}
