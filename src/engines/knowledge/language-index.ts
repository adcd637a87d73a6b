/**
 * The lunr index of one language: every entry translated into it, with its own analyzer, synonym
 * and glossary-concept expansion at index and query time, per-field boosts and term statistics for confidence.
 */
import type { Lang } from '../../core/languages.js';
import { type Analyzer, analyzerFor } from './analyzers.js';
import { DocTermsBuilder, type DocTermsData, docHolds, SortedTerms } from './doc-terms.js';
import {
  CLASSIFIER_TRAINING,
  type ClassifierState,
  EntryClassifier,
  OFF_TOPIC,
  type TrainingExample,
} from './entry-classifier.js';
import { ExampleTerms } from './example-terms.js';
import type { FaqEntry } from './faq-entry.js';
import { type DeletionIndexData, TypoIndex } from './fuzzy.js';
import type { GlossaryConcept } from './glossary.js';
import {
  compileDocuments,
  LunrScorer,
  type ScoredTerm,
  ScorerCompiler,
  type ScorerData,
  type ScorerDocument,
} from './lunr-scorer.js';
import { type NearestScratch, nearestExamples, nearestScratch, phrasingRange } from './nearest-example.js';
import { PostingLists, type PostingListsData } from './posting-lists.js';
import type { SynonymGroups } from './synonyms.js';

/** Field boosts: a match in the alternate questions counts most, then title, tags, body. */
export const FIELD_BOOSTS = { questions: 6, title: 4, tags: 2, body: 1 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** The errand classifier's label for every entry phrasing. */
const ENTRY = '\u0000entry';

/**
 * How the compiled postings are built from the documents: directly (`compileDocuments`). Exported so
 * a test can build them through lunr.Builder instead (`compileWithLunr`) and compare.
 */
export const INDEX_BUILDER: {
  compile: (
    docs: readonly ScorerDocument[],
    fields: readonly string[],
    boosts: readonly number[],
  ) => ScorerData;
} = { compile: compileDocuments };

/** Languages whose users mix English into almost every message (measured: Indonesian is not helped). */
export const MIXED_WITH_ENGLISH: ReadonlySet<Lang> = new Set<Lang>(['tl']);

/** Tunables of the confidence features, chosen with `koban eval` on the development set. */
export const TUNING = {
  /** An unknown word weighs this much of the rarest known word's weight (see units()). */
  unknownWordWeight: 1,
  /** How much pairs and character groups count toward coverage (Vietnamese, Japanese, Thai). */
  pairWeight: { ja: 0.4 } as Partial<Record<Lang, number>>,
  pairWeightDefault: 0.2,
  /**
   * The classifier is trained only for indexes of at most this many entries: its training grows
   * with entries x examples (300 entries took minutes), and a large index ranks on
   * word overlap and the nearest-example signal alone. The shipped knowledge base is far below it.
   */
  classifierMaxEntries: 200,
  /**
   * The errand classifier sees its errand examples repeated to weigh this share of the phrasings
   * (0.5 until issue 14's s10 round; with 87 errands per language instead of 54, 1.0 keeps each
   * errand's weight about as it was and refused 3 more development near-domain questions, no
   * in-scope answer lost).
   */
  errandShare: 1,
  /**
   * Leading characters a typo match must share with the word: with two edits (a long word, more
   * often an inflection than a typo: "uzatabilir" is not "ulasabilir" or "atabilir"), and with one
   * (none: Indonesian "narik" is "tarik").
   */
  typoPrefix: { one: 0, two: 3 },
  /** A glossary word of another language ("sidik jari" in the English index) counts this much of a match. */
  glossaryQuality: 0.8,
  /**
   * The errand classifier learns from at most this many entry phrasings (an even sample of them
   * beyond it): its training grows with the phrasings, and it only needs what an entry's phrasing
   * looks like next to an errand. The shipped knowledge base has under 3,000 per index (Tagalog,
   * which holds the English phrasings too), so all of them.
   */
  errandMaxPhrasings: 5000,
};

/** One thing the query asks for: a word, or a synonym group that replaced the words it matched. */
interface QueryUnit {
  /** Index terms that satisfy this unit, with how fully (1 exact, less for a typo match). */
  alternatives: Map<string, number>;
  weight: number;
}

export interface IndexHit {
  entryId: string;
  lang: Lang;
  /** lunr's BM25 score (with field boosts). */
  score: number;
  features: HitFeatures;
}

/** What confidence is computed from (kept on hits for `koban eval` and tuning). */
export interface HitFeatures {
  /** Rarity-weighted share of the query's words found anywhere in the entry. */
  coverage: number;
  /** The same, in its questions, title and tags only. */
  leadCoverage: number;
}

/** One synonym phrase, analyzed, and the token of its group. */
interface SynonymPhrase {
  token: string;
  terms: string[];
  /** How fully the phrase stands for its group (below 1: a glossary word of another language). */
  quality?: number;
}

/** Everything a built index holds, as saved in the index cache (plain data, Maps and typed arrays). */
export interface LanguageIndexSnapshot {
  size: number;
  synonyms: Map<string, SynonymPhrase[]>;
  glossary: Map<string, SynonymPhrase[]>;
  /**
   * Interned terms (sorted), their document frequencies and each document's terms (documents in
   * scorer.refs order). `terms.terms` is the same array as `scorer.terms` and
   * `examplesByTerm.table` when the index's terms are all single lunr tokens (saved once).
   */
  terms: DocTermsData;
  classifier: ClassifierState;
  errands: ClassifierState;
  exampleWeights: Float64Array;
  exampleOffTopic: Uint8Array;
  examplesByTerm: PostingListsData;
  /** The typo index's words as ids into `terms.terms`, and its deletion index. */
  typos: { words: Int32Array; byDeletion: DeletionIndexData };
  scorer: ScorerData;
}

/** A place in a question's terms where a synonym (or glossary) phrase occurs. */
interface SynonymRun {
  token: string;
  at: number;
  length: number;
  quality: number;
}

/** A question as one index reads it (see LanguageIndex.lastQuery). */
interface QueryAnalysis {
  text: string;
  terms: string[];
  plain: string[];
  runs: Map<string, SynonymRun[]>;
}

/** typoMatches of a known word. */
const NO_TYPOS: ReadonlyMap<string, number> = new Map();

/** `max` items spread evenly over `items` (in order), or all of them when there are no more. */
export function evenSample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)] as T);
}

export class LanguageIndex {
  readonly analyzer: Analyzer;
  private readonly scorer: LunrScorer;
  /** The terms (looked up in their sorted array), document frequencies and per-document codes. */
  private readonly terms: Omit<DocTermsData, 'terms'> & { termIds: SortedTerms };
  /** Each entry's document number in `terms`. */
  private readonly docOf: Map<string, number>;
  /** An unknown word's typo matches (a known word's: NO_TYPOS), remembered. */
  private readonly typoCache = new Map<string, ReadonlyMap<string, number>>();
  private readonly typos: TypoIndex;
  /** Synonym phrases by their first term, so matching is one pass over the text. */
  private readonly synonyms: Map<string, SynonymPhrase[]> = new Map();
  /** Glossary words of every language by their first term, standing for their concept (`glo<i>x`). */
  private readonly glossary: Map<string, SynonymPhrase[]> = new Map();
  private readonly classifier: EntryClassifier;
  /** Errand (another office's job) vs the entries' phrasings; see off-topic.ts. */
  private readonly errands: EntryClassifier;
  /** The classifier's examples' total term weight and kind, for nearest(). */
  private readonly exampleWeights: Float64Array;
  private readonly exampleOffTopic: Uint8Array;
  /** Which examples hold each term, so nearest() visits only examples sharing a term. */
  private readonly examplesByTerm: PostingLists;
  readonly size: number;
  /** idf of each known term, computed once; an unknown term's is the same for every term. */
  private readonly idfs = new Map<string, number>();
  private readonly unknownIdf: number;
  /**
   * The last question's terms, its plain terms (no pairs or character groups) and the synonym and
   * glossary runs found in them: assess() and search() both read them, several times each.
   */
  private lastQuery: QueryAnalysis | undefined;
  /** closeness()'s phrasings, read once: their terms and total term weight. */
  private readonly phrasingTerms = new Map<string, { set: ReadonlySet<string>; weight: number }>();
  /** nearest()'s per-question scratch, and where the entries' phrasings are among the examples. */
  private nearestScratch: NearestScratch | undefined;
  private phrasings: { from: number; to: number } | undefined;

  /** A saved index (from the index cache), ready to search without analysing or training again. */
  static restore(lang: Lang, saved: LanguageIndexSnapshot): LanguageIndex {
    return new LanguageIndex(lang, [], [], [], saved);
  }

  /** Builds the index of `lang` from the entries (or restores `saved`; prefer `restore`). */
  constructor(
    readonly lang: Lang,
    // Only an entry's id and translations are read (index-input.ts builds from just those).
    entries: Iterable<FaqEntry | Pick<FaqEntry, 'id' | 'translations'>>,
    synonyms: SynonymGroups = [],
    offTopic: readonly string[] = [],
    saved?: LanguageIndexSnapshot,
    errands: readonly string[] = [],
    glossary: readonly GlossaryConcept[] = [],
  ) {
    this.analyzer = analyzerFor(lang);
    if (saved) {
      this.size = saved.size;
      this.unknownIdf = Math.log(1 + (this.size + 0.5) / 0.5);
      this.synonyms = saved.synonyms;
      this.glossary = saved.glossary;
      this.terms = { ...saved.terms, termIds: new SortedTerms(saved.terms.terms) };
      this.docOf = new Map(saved.scorer.refs.map((ref, d) => [ref, d]));
      this.classifier = new EntryClassifier([], CLASSIFIER_TRAINING, saved.classifier);
      this.errands = new EntryClassifier([], CLASSIFIER_TRAINING, saved.errands);
      this.exampleWeights = saved.exampleWeights;
      this.exampleOffTopic = saved.exampleOffTopic;
      this.examplesByTerm = new PostingLists(saved.examplesByTerm);
      this.typos = new TypoIndex(
        { table: saved.terms.terms, ids: saved.typos.words },
        saved.typos.byDeletion,
      );
      this.scorer = new LunrScorer(saved.scorer);
      return;
    }
    synonyms.forEach((group, i) => {
      for (const word of group) {
        const terms = this.analyzer.analyze(word).filter((t) => !t.includes('_'));
        const first = terms[0];
        if (first === undefined) continue;
        const list = this.synonyms.get(first) ?? [];
        list.push({ token: `syn${i}x`, terms });
        this.synonyms.set(first, list);
      }
    });
    // A concept with words in this language: its words in every language (analyzed as this
    // language's) stand for it, those of another language a little less than its own.
    glossary.forEach((concept, i) => {
      const phrase = (word: string) => this.analyzer.analyze(word).filter((t) => !t.includes('_'));
      const own = new Set((concept.words[lang] ?? []).map((w) => phrase(w).join(' ')));
      if (own.size === 0) return;
      const seen = new Set<string>();
      for (const word of Object.values(concept.words).flat()) {
        const terms = phrase(word);
        const key = terms.join(' ');
        const first = terms[0];
        if (first === undefined || seen.has(key)) continue;
        seen.add(key);
        const list = this.glossary.get(first) ?? [];
        list.push({ token: `glo${i}x`, terms, quality: own.has(key) ? 1 : TUNING.glossaryQuality });
        this.glossary.set(first, list);
      }
    });
    // Each document goes to the compiled postings as it is analysed (its terms are not kept), unless
    // a test has INDEX_BUILDER compile them another way, from all the documents at once.
    const boosts = FIELDS.map((f) => FIELD_BOOSTS[f]);
    const compiler =
      INDEX_BUILDER.compile === compileDocuments ? new ScorerCompiler(FIELDS.length, boosts) : undefined;
    const docs: ScorerDocument[] = [];
    const docIds: string[] = [];
    const docTerms = new DocTermsBuilder();
    const offTopicExamples: TrainingExample[] = offTopic.map((text) => ({
      features: this.features(text),
      label: OFF_TOPIC,
    }));
    const phrasingExamples = new ExampleTerms(docTerms);
    for (const entry of entries) {
      const t = entry.translations[lang];
      if (!t) continue;
      // Filipino chat mixes in English freely ("pwede ba mag-request ng koban visit"): the Tagalog
      // index also holds the English questions, title and tags, so one index sees the whole message.
      const en = MIXED_WITH_ENGLISH.has(lang) ? entry.translations.en : undefined;
      const questions = [...t.questions, ...(en?.questions ?? [])].map((q) => this.analyzer.analyze(q));
      const titles = [t.title, ...(en ? [en.title] : [])].map((x) => this.analyzer.analyze(x));
      const fields: Record<Field, string[]> = {
        questions: this.expand(questions.flatMap((terms) => [...terms, '\u0000'])),
        // One title is analysed once; two are analysed together, as one text.
        title: this.expand(en ? this.analyzer.analyze(`${t.title}\n${en.title}`) : (titles[0] ?? [])),
        tags: this.expand([...t.tags, ...(en?.tags ?? [])].flatMap((tag) => this.analyzer.analyze(tag))),
        body: this.expand(this.analyzer.analyze(t.body)),
      };
      for (const f of FIELDS) fields[f] = fields[f].filter((x) => x !== '\u0000');
      // Lead fields (questions, title, tags) first: FIELDS ends with the body.
      docTerms.add(
        FIELDS.map((f) => fields[f]),
        FIELDS.length - 1,
      );
      // The phrasings' terms are looked up once their document holds them.
      for (const terms of [...questions, ...titles])
        phrasingExamples.add(this.expand(terms, false), entry.id);
      const doc = { id: entry.id, fields: FIELDS.map((f) => fields[f]) };
      if (compiler) compiler.add(doc);
      else docs.push(doc);
      docIds.push(entry.id);
    }
    this.size = docIds.length;
    // The flat arrays lunr's index would compile to (scoring and the cache), built without lunr.Builder.
    const scorerData = compiler ? compiler.finish() : INDEX_BUILDER.compile(docs, FIELDS, boosts);
    // The compiled postings sorted the same terms when every term is its own lunr token, numbered
    // in the same first-met order: their order is the terms' (checked), without sorting again.
    const same =
      scorerData.terms.length === docTerms.vocabulary.length &&
      scorerData.terms.every((t, row) => docTerms.vocabulary[scorerData.termIndex[row] as number] === t);
    const { terms: sortedTerms, rank, ...termData } = docTerms.build(same ? scorerData.termIndex : undefined);
    // One array of the terms for the scorer, the coverage, the typo index and the examples' lists
    // when the scorer's terms are the same (every term a single lunr token): each string kept once.
    const table = sameStrings(sortedTerms, scorerData.terms) ? scorerData.terms : sortedTerms;
    this.terms = { ...termData, termIds: new SortedTerms(table) };
    this.docOf = new Map(docIds.map((id, d) => [id, d]));
    this.unknownIdf = Math.log(1 + (this.size + 0.5) / 0.5);
    this.classifier = new EntryClassifier(
      this.size <= TUNING.classifierMaxEntries
        ? [
            ...offTopicExamples,
            ...Array.from({ length: phrasingExamples.length }, (_, i) => phrasingExamples.example(i)),
          ]
        : [],
    );
    // Errands are off-topic for the nearest-example signal too, but learned by their own classifier.
    const errandExamples = errands.map((text) => ({ features: this.features(text), label: OFF_TOPIC }));
    const phrasings = evenSample(
      Array.from({ length: phrasingExamples.length }, (_, i) => i),
      TUNING.errandMaxPhrasings,
    ).map((i) => phrasingExamples.example(i, ENTRY));
    // The few errands weigh as much as TUNING.errandShare of the many phrasings (repeated).
    const repeat = Math.max(
      1,
      Math.round((TUNING.errandShare * phrasings.length) / Math.max(1, errandExamples.length)),
    );
    this.errands = new EntryClassifier(
      errandExamples.length > 0
        ? [...Array.from({ length: repeat }, () => errandExamples).flat(), ...phrasings]
        : [],
    );
    // The examples: the off-topic ones, the entries' phrasings, the errands.
    const exampleCount = offTopicExamples.length + phrasingExamples.length + errandExamples.length;
    this.exampleWeights = new Float64Array(exampleCount);
    this.exampleOffTopic = new Uint8Array(exampleCount);
    // idf() by term id, without filling the query's cache with every example's terms.
    const idfById = new Float64Array(this.terms.df.length).fill(-1);
    const idfOfId = (id: number): number => {
      let idf = idfById[id] as number;
      if (idf < 0) {
        const df = this.terms.df[id] as number;
        idf = Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
        idfById[id] = idf;
      }
      return idf;
    };
    // Each example's distinct terms, in the order first met: a sorted term id, or a term no document
    // holds. The examples' total term weights are summed on the first of the two walks.
    const byId = (features: readonly string[]): Array<number | string> =>
      [...new Set(features)].map((t) => docTerms.idOf(t) ?? t);
    const first = offTopicExamples.length;
    const last = first + phrasingExamples.length;
    let weigh = true;
    // Each term's examples (by term id, the examples' own words beside), in two walks over them.
    this.examplesByTerm = PostingLists.fromWalk(table, (add) => {
      const visit = (i: number, terms: ReadonlyArray<number | string>, offTopic: boolean): void => {
        if (weigh) {
          let weight = 0;
          for (const t of terms) weight += typeof t === 'number' ? idfOfId(t) : this.unknownIdf;
          this.exampleWeights[i] = weight;
          this.exampleOffTopic[i] = offTopic ? 1 : 0;
        }
        for (const t of terms) add(t, i);
      };
      offTopicExamples.forEach((e, i) => {
        visit(i, byId(e.features), true);
      });
      phrasingExamples.forEachDistinct((i, terms) => {
        visit(first + i, terms, phrasingExamples.labels[i] === OFF_TOPIC);
      });
      errandExamples.forEach((e, i) => {
        visit(last + i, byId(e.features), true);
      });
      weigh = false;
    });
    phrasingExamples.clear();
    // The typo index's words: the terms in first-met order, but pairs and synonym tokens.
    const typoWords: number[] = [];
    docTerms.vocabulary.forEach((t, id) => {
      if (!t.includes('_') && !t.startsWith('syn')) typoWords.push(rank[id] as number);
    });
    this.typos = new TypoIndex({ table, ids: Int32Array.from(typoWords) });
    this.scorer = new LunrScorer(scorerData);
    // Which documents hold each term, and in which fields, is in the compiled postings too when
    // every term is its own single lunr token: the per-document term codes (as large as a quarter of
    // the postings) are then not kept, and holds() asks the postings instead.
    if (docTerms.vocabulary.every(isLunrToken) && this.scorer.docsAscending())
      this.terms = { ...this.terms, offsets: new Int32Array(0), codes: new Int32Array(0) };
  }

  /** The postings row `holdsAt` needs for a term (-1 when the per-document codes answer instead). */
  private rowOf(term: string): number {
    return this.terms.codes.length > 0 ? -1 : this.scorer.rowOf(term);
  }

  /**
   * Whether document `doc` holds term `id` (its postings row `row`, from rowOf: looked up once for
   * every hit): 0 no, 1 yes (not in its lead fields), 2 in its lead fields. From the compiled
   * postings when the per-document term codes were dropped.
   */
  private holdsAt(doc: number, id: number, row: number): 0 | 1 | 2 {
    return this.terms.codes.length > 0 ? docHolds(this.terms, doc, id) : this.scorer.holdsRow(row, doc);
  }

  /** Everything this index holds, for the index cache. */
  snapshot(): LanguageIndexSnapshot {
    return {
      size: this.size,
      synonyms: this.synonyms,
      glossary: this.glossary,
      terms: {
        terms: this.terms.termIds.terms as string[],
        df: this.terms.df,
        offsets: this.terms.offsets,
        codes: this.terms.codes,
      },
      classifier: this.classifier.state(),
      errands: this.errands.state(),
      exampleWeights: this.exampleWeights,
      exampleOffTopic: this.exampleOffTopic,
      examplesByTerm: this.examplesByTerm.data,
      typos: this.typos.state(),
      scorer: this.scorer.data,
    };
  }

  /**
   * Appends the group token after every run of terms that matches a synonym, or (`glossary`) a
   * glossary word. '\u0000' separates phrases. The classifiers see synonyms only: glossary tokens
   * in their features cost a Tagalog question its entry on the development set.
   */
  private expand(terms: string[], glossary = true): string[] {
    const runs = [...this.synonymRuns(terms), ...(glossary ? this.synonymRuns(terms, this.glossary) : [])];
    return [...terms, ...new Set(runs.map((r) => r.token))];
  }

  /** Every place a synonym phrase (or one of `phrasesOf`) occurs in `terms` (longest first at each position). */
  private synonymRuns(
    terms: string[],
    phrasesOf: ReadonlyMap<string, SynonymPhrase[]> = this.synonyms,
  ): Array<{ token: string; at: number; length: number; quality: number }> {
    const runs: Array<{ token: string; at: number; length: number; quality: number }> = [];
    terms.forEach((term, at) => {
      const phrases = phrasesOf.get(term);
      if (!phrases) return;
      const match = phrases
        .filter((p) => p.terms.every((t, j) => terms[at + j] === t))
        .sort((a, b) => b.terms.length - a.terms.length)[0];
      if (match)
        runs.push({ token: match.token, at, length: match.terms.length, quality: match.quality ?? 1 });
    });
    return runs;
  }

  private idf(term: string): number {
    const id = this.terms.termIds.get(term);
    if (id === undefined) return this.unknownIdf;
    const df = this.terms.df[id] as number;
    let idf = this.idfs.get(term);
    if (idf === undefined) {
      idf = Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
      this.idfs.set(term, idf);
    }
    return idf;
  }

  /** Known words within the typo budget of an unknown one, with a match quality (cached). */
  private typoMatches(term: string): ReadonlyMap<string, number> {
    let found = this.typoCache.get(term);
    if (!found) {
      if (this.terms.termIds.has(term)) found = NO_TYPOS;
      else {
        const matches = new Map<string, number>();
        const { typoPrefix } = TUNING;
        for (const { word, distance } of this.typos.matches(term)) {
          if (sharedPrefix(term, word) < (distance === 1 ? typoPrefix.one : typoPrefix.two)) continue;
          matches.set(word, distance === 1 ? 0.8 : 0.6);
        }
        found = matches;
      }
      if (this.typoCache.size >= 10_000) this.typoCache.clear();
      this.typoCache.set(term, found);
    }
    return found;
  }

  /** The classifier's view of a text: its terms, pairs and synonym groups (no glossary concepts). */
  private features(text: string): string[] {
    // expand(terms, false), with the question's synonym runs found once.
    const terms = this.queryTerms(text);
    return [...terms, ...new Set(this.queryRuns(text, 'terms', 'synonyms').map((r) => r.token))];
  }

  /** A question's terms; the last question's are kept, since assess() and search() both read it. */
  private queryTerms(text: string): string[] {
    return this.analysis(text).terms;
  }

  private analysis(text: string): QueryAnalysis {
    if (this.lastQuery?.text !== text) {
      const terms = this.analyzer.analyze(text);
      this.lastQuery = { text, terms, plain: terms.filter((t) => !t.includes('_')), runs: new Map() };
    }
    return this.lastQuery;
  }

  /** `synonymRuns` of the question's terms (or plain terms), found once per question. */
  private queryRuns(
    text: string,
    which: 'terms' | 'plain',
    phrasesOf: 'synonyms' | 'glossary',
  ): SynonymRun[] {
    const q = this.analysis(text);
    const key = `${which} ${phrasesOf}`;
    let runs = q.runs.get(key);
    if (!runs) {
      runs = this.synonymRuns(q[which], phrasesOf === 'synonyms' ? this.synonyms : this.glossary);
      q.runs.set(key, runs);
    }
    return runs;
  }

  /**
   * What the examples say about a question: how likely each entry (and OFF_TOPIC) is, by the
   * classifier (an unknown word also counts as the known words it is a typo of), and how close the
   * question comes to its nearest off-topic example and to its nearest entry phrasing (the
   * rarity-weighted overlap of their terms, Dice, 0..1).
   */
  assess(text: string): {
    probabilities: Map<string, number>;
    nearest: { offTopic: number; entry: number };
    /** The errand classifier's probability that the question is another office's errand. */
    errand: number;
    /** Whether it names a glossary concept (in any language), which the classifiers do not see. */
    namesConcept: boolean;
  } {
    const features = this.features(text);
    const all = [...features];
    for (const f of features) {
      if (f.includes('_')) continue;
      for (const known of this.typoMatches(f).keys()) all.push(known);
    }
    return {
      probabilities: this.classifier.predict(all),
      nearest: this.nearest(features),
      errand: this.errands.predict(all).get(OFF_TOPIC) ?? 0,
      namesConcept: this.queryRuns(text, 'plain', 'glossary').length > 0,
    };
  }

  /**
   * How close a question comes to the nearest of `phrasings` (the rarity-weighted overlap of their
   * terms, Dice, 0..1, as the nearest-example check measures it), or the first closeness of at
   * least `enough` met. Each phrasing's terms are kept once read (an entry's own questions and its
   * not_answered list, asked about again and again).
   */
  closeness(text: string, phrasings: readonly string[], enough = Number.POSITIVE_INFINITY): number {
    const terms = [...new Set(this.features(text))];
    const idfs = terms.map((t) => this.idf(t));
    const weight = idfs.reduce((sum, idf) => sum + idf, 0);
    if (weight === 0) return 0;
    let best = 0;
    for (const phrasing of phrasings) {
      let known = this.phrasingTerms.get(phrasing);
      if (!known) {
        const set = new Set(this.expand(this.analyzer.analyze(phrasing), false));
        let w = 0;
        for (const t of set) w += this.idf(t);
        known = { set, weight: w };
        if (this.phrasingTerms.size >= 20_000) this.phrasingTerms.clear();
        this.phrasingTerms.set(phrasing, known);
      }
      let shared = 0;
      for (let i = 0; i < terms.length; i++)
        if (known.set.has(terms[i] as string)) shared += idfs[i] as number;
      const similarity = (2 * shared) / (weight + known.weight);
      if (similarity > best) {
        best = similarity;
        if (best >= enough) return best;
      }
    }
    return best;
  }

  private nearest(features: readonly string[]): { offTopic: number; entry: number } {
    const terms = [...new Set(features)].map((t) => ({ t, idf: this.idf(t) }));
    const weight = terms.reduce((sum, { idf }) => sum + idf, 0);
    if (weight === 0) return { offTopic: 0, entry: 0 };
    // Typed arrays reused across questions (a Map here was most of a search at thousands of entries).
    const n = this.exampleWeights.length;
    if (this.nearestScratch?.shared.length !== n) {
      this.nearestScratch = nearestScratch(n);
      this.phrasings = phrasingRange(this.exampleOffTopic);
    }
    return nearestExamples(
      terms.map(({ t, idf }) => ({ idf, list: this.examplesByTerm.get(t) })),
      weight,
      this.exampleWeights,
      this.exampleOffTopic,
      this.phrasings,
      this.nearestScratch,
    );
  }

  /** Turns a question into weighted units: synonym groups replace the words they match. */
  private units(text: string): QueryUnit[] {
    const { terms, plain } = this.analysis(text);
    const consumed = new Set<number>();
    const units: QueryUnit[] = [];
    const tokens = new Set<string>();
    const take = (run: { token: string; at: number; length: number; quality: number }) => {
      for (let i = run.at; i < run.at + run.length; i++) consumed.add(i);
      if (tokens.has(run.token)) return;
      tokens.add(run.token);
      units.push({ alternatives: new Map([[run.token, run.quality]]), weight: this.idf(run.token) });
    };
    // Glossary names, a concept named in any language: one of several words ("vân tay") first, a
    // single word only where no synonym took it.
    const glossary = this.queryRuns(text, 'plain', 'glossary');
    const free = (run: { at: number; length: number }) =>
      Array.from({ length: run.length }, (_, j) => run.at + j).every((i) => !consumed.has(i));
    for (const run of glossary) if (run.length > 1 && free(run)) take(run);
    for (const run of this.queryRuns(text, 'plain', 'synonyms').filter(free)) take(run);
    for (const run of glossary) if (run.length === 1 && free(run)) take(run);
    const seen = new Set<string>();
    plain.forEach((term, i) => {
      if (consumed.has(i) || seen.has(term)) return;
      seen.add(term);
      const typos = this.typoMatches(term);
      const alternatives = new Map([[term, 1]]);
      for (const [known, quality] of typos) alternatives.set(known, quality);
      // A word the knowledge base never uses (and no typo of one) is a strong sign of an off-topic
      // question ("bitcoin", "Paris"): it counts as much as the rarest known word.
      const unknown = alternatives.size === 1 && !this.terms.termIds.has(term);
      units.push({ alternatives, weight: this.idf(term) * (unknown ? TUNING.unknownWordWeight : 1) });
    });
    // Pairs and character groups (Vietnamese syllables, Japanese and Thai characters) sharpen the
    // ranking and count a little toward coverage: "bóng đá" (football) is made of syllables the
    // knowledge base knows, but not as a pair; 落とした and 落とし物 share 落と although they
    // segment differently.
    for (const bigram of new Set(terms.filter((t) => t.includes('_')))) {
      const weight = this.idf(bigram) * (TUNING.pairWeight[this.lang] ?? TUNING.pairWeightDefault);
      units.push({ alternatives: new Map([[bigram, 1]]), weight });
    }
    return units;
  }

  /** Ranked hits for a question, best first. */
  search(text: string, limit = 5): IndexHit[] {
    if (this.size === 0) return [];
    const units = this.units(text);
    const totalWeight = units.reduce((s, u) => s + u.weight, 0);
    if (totalWeight === 0) return [];
    const query: ScoredTerm[] = [];
    // Each unit's known alternatives, looked up once for every hit below.
    const known: Array<Array<{ quality: number; id: number; row: number }>> = [];
    for (const unit of units) {
      const alternatives: Array<{ quality: number; id: number; row: number }> = [];
      for (const [term, quality] of unit.alternatives) {
        const id = this.terms.termIds.get(term);
        if (id === undefined) continue;
        query.push({ term, boost: quality });
        alternatives.push({ quality, id, row: this.rowOf(term) });
      }
      known.push(alternatives);
    }
    const results = this.scorer.query(query, limit);
    return results.slice(0, limit).map((r) => {
      const doc = this.docOf.get(r.ref);
      let covered = 0;
      let coveredLead = 0;
      units.forEach((unit, u) => {
        let best = 0;
        let bestLead = 0;
        if (doc !== undefined) {
          for (const { quality, id, row } of known[u] ?? []) {
            const holds = this.holdsAt(doc, id, row);
            if (holds > 0) best = Math.max(best, quality);
            if (holds === 2) bestLead = Math.max(bestLead, quality);
          }
        }
        covered += unit.weight * best;
        coveredLead += unit.weight * bestLead;
      });
      const features = { coverage: covered / totalWeight, leadCoverage: coveredLead / totalWeight };
      return { entryId: r.ref, lang: this.lang, score: r.score, features };
    });
  }
}

/** Whether two sorted string arrays hold the same strings. */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether lunr's tokenizer keeps `term` as it is (lower case, no space or hyphen). */
function isLunrToken(term: string): boolean {
  return term.length > 0 && term === term.toLowerCase() && !/[\s-]/.test(term);
}

/** How many leading characters two words share. */
function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
