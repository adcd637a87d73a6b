/**
 * Recognises small talk, help and "about the bot" messages the way FAQ entries are recognised: a
 * classifier (the FAQ's EntryClassifier) trained on the phrasings in `knowledge/smalltalk/`, with
 * every FAQ question and off-topic example as counter-examples, so "hi, when is lunch?" stays a
 * question while "ok thanks, that helped" is a thanks. No phrase lists live in code.
 */
import { LANGUAGES, type Lang } from '../core/languages.js';
import { foldDiacritics } from '../core/text.js';
import {
  CLASSIFIER_TRAINING,
  type ClassifierState,
  EntryClassifier,
  type TrainingExample,
} from '../engines/knowledge/entry-classifier.js';
import type { KnowledgeBase } from '../engines/knowledge/loader.js';
import { SMALLTALK_KINDS, type SmalltalkKind } from '../engines/knowledge/smalltalk.js';

export type { SmalltalkKind };

export interface SmalltalkMatch {
  kind: SmalltalkKind;
  /** The language the wording belongs to, when its words say so (English words say little). */
  lang: Lang | undefined;
  /** The classifier's probability (1 for a wording kept verbatim in knowledge/smalltalk/). */
  confidence: number;
}

/** Tunables, chosen on the development set with `koban eval`. */
export const SMALLTALK_MATCHING = {
  /** Small talk is short: longer messages are questions even when they open with a greeting. */
  maxWords: 10,
  /** The classifier's probability that a message is small talk of some kind. */
  minProbability: 0.6,
  /**
   * The share of a message's words that small-talk phrasings (any language) use: the classifier
   * ignores words it never saw, so "acara kunjungannya dari pagi sampai sore?" would otherwise be a
   * greeting by its "pagi" and "sore".
   */
  minKnownShare: 0.6,
  /**
   * "sorry but this isn't helping, could I please speak with one of the coordinators": a request
   * for a person or for help inside a longer message. Runs of words (of `coreMinWords` up to
   * `maxWords`) are classified on their own; a run counts when its words are all small-talk words
   * and the classifier is this sure it asks for a person or for help.
   */
  coreKinds: ['human', 'help'] as readonly SmalltalkKind[],
  coreMinWords: 5,
  coreMinProbability: 0.93,
  /** Messages longer than this are read whole only (a letter is no request for a person). */
  coreMaxWords: 40,
  /** "is anyone there?" (`human_cues.presence`) asks for a person only in a message this short. */
  presenceMaxWords: 6,
  /**
   * An unknown word is read as a known one sharing its first `stemMinChars` letters and at least
   * `stemMinShare` of the shorter word ("kullanılıyor" as "kullanılır").
   */
  stemMinChars: 5,
  stemMinShare: 0.75,
};

const OTHER = '\u0000other';
/** Kinds an acknowledgement around a message leaves as they are ("cool thanks", "ok bye"). */
const ACK_KINDS: readonly SmalltalkKind[] = ['thanks', 'greeting', 'bye'];
/** How many recent texts `match` remembers (a turn's message and its pieces). */
const RECENT_TEXTS = 8;
const UNSPACED = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const STRETCHED = /(\p{L})\1{2,}/gu;
const KANA = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Lowercase, accent-free words; Thai and Japanese split by ICU's dictionary segmenter. */
export function smalltalkWords(text: string): string[] {
  const lower = foldDiacritics(text.toLowerCase());
  // Chat stretches letters ("heyyy", "thanksss"): three or more of a letter count as two.
  // Text with no Thai or Japanese letter (most messages) needs none of the steps below.
  if (!UNSPACED.test(lower)) return lower.replace(STRETCHED, '$1$1').match(WORD) ?? [];
  // Thai ๆ repeats the word before it ("มากๆ", "very very"): it adds nothing but splits words oddly.
  const folded = lower
    .replace(/\u0E46/gu, ' ')
    .replace(STRETCHED, '$1$1')
    // Latin letters glued to Thai or Japanese ("เป็นAIเหรอ", "AIなの") are a word of their own.
    .replace(
      /(\p{Script=Latin})(?=[\p{Script=Thai}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu,
      '$1 ',
    )
    .replace(
      /([\p{Script=Thai}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])(?=\p{Script=Latin})/gu,
      '$1 ',
    );
  if (!UNSPACED.test(folded)) return folded.match(WORD) ?? [];
  const out: string[] = [];
  // A long-vowel mark ending a word is chat ("よろしくー", "ありがとー"), not a word of its own.
  const bare = folded.replace(/[ー〜~]+(?=$|[\s\p{P}\p{S}])/gu, '');
  let kana = '';
  for (const s of segmenter.segment(bare)) {
    if (!s.isWordLike) continue;
    // ICU cuts casual kana it does not know into single characters ("ば|い|ば|い"): one word again.
    if (KANA.test(s.segment) && [...s.segment].length === 1) {
      kana += s.segment;
      continue;
    }
    if (kana) out.push(kana);
    kana = '';
    out.push(...(s.segment.match(WORD) ?? []));
  }
  if (kana) out.push(kana);
  return out;
}

function features(words: readonly string[]): string[] {
  const out = words.map((w) => `w:${w}`);
  for (let i = 1; i < words.length; i++) out.push(`b:${words[i - 1]}_${words[i]}`);
  return out;
}

/** A `human_cues` phrase and the text to look for: itself between spaces, or its letters run together in unspaced scripts. */
interface Cue {
  phrase: string;
  unspaced: boolean;
  needle: string;
}

function cue(phrase: string): Cue {
  const unspaced = UNSPACED.test(phrase);
  return { phrase, unspaced, needle: unspaced ? phrase.replaceAll(' ', '') : ` ${phrase} ` };
}

/** The first cue of `list` found in the words (`spaced`: between spaces; `unspaced`: run together). */
function foundCue(list: readonly Cue[], spaced: string, unspaced: string): string | undefined {
  for (const c of list) if ((c.unspaced ? unspaced : spaced).includes(c.needle)) return c.phrase;
  return undefined;
}

export class SmalltalkMatcher {
  private trained: EntryClassifier | undefined;
  /** Gives the classifier when first needed (most messages are told apart by their words alone). */
  private readonly load: () => EntryClassifier;
  /** A normalised wording kept verbatim → its kind and language. */
  private readonly exact = new Map<string, { kind: SmalltalkKind; lang: Lang }>();
  /** Each language's small-talk words, to tell which language a short message is in. */
  private readonly vocabulary = new Map<Lang, Set<string>>();
  /** Every language's small-talk words together. */
  private readonly known = new Set<string>();
  /** knownForms of the words met lately (chat reuses a small vocabulary). */
  private readonly forms = new Map<string, string | readonly string[]>();
  /** Every language's `acknowledgements`, as word sequences, by their first word (in file order). */
  private readonly acksByFirst = new Map<string, string[][]>();
  /** The same, by their last word. */
  private readonly acksByLast = new Map<string, string[][]>();
  /**
   * The last few texts matched: a turn asks about its message several times (router, help,
   * hand-off, follow-ups) and about pieces of it (the follow-up reader's head and rest).
   */
  private readonly recent = new Map<string, { match: SmalltalkMatch | undefined }>();
  /** Every language's `human_cues`, as normalised word sequences with what to look for. */
  private readonly cues: Record<'person' | 'request' | 'not_bot' | 'info' | 'presence', Cue[]> = {
    person: [],
    request: [],
    not_bot: [],
    info: [],
    presence: [],
  };

  /**
   * Trains on `kb`, or takes the classifier trained before on the same files (`saved`); a `saved`
   * function is called when the classifier is first needed, and when it gives nothing the
   * classifier is trained then (and handed to whenSmalltalkTrained's callback).
   */
  constructor(
    kb: Pick<KnowledgeBase, 'smalltalk' | 'entries' | 'offTopic'>,
    saved?: ClassifierState | (() => ClassifierState | undefined),
  ) {
    const examples: TrainingExample[] = [];
    for (const lang of LANGUAGES) {
      const vocab = new Set<string>();
      for (const kind of SMALLTALK_KINDS) {
        for (const phrasing of kb.smalltalk[lang]?.[kind] ?? []) {
          const words = smalltalkWords(phrasing);
          if (words.length === 0) continue;
          for (const w of words) {
            vocab.add(w);
            this.known.add(w);
          }
          const key = words.join(' ');
          if (!this.exact.has(key) || lang === 'en') this.exact.set(key, { kind, lang });
          examples.push({ features: features(words), label: kind });
        }
      }
      this.vocabulary.set(lang, vocab);
      for (const phrase of kb.smalltalk[lang]?.acknowledgements ?? []) {
        const words = smalltalkWords(phrase);
        const [first] = words;
        const last = words[words.length - 1];
        if (first === undefined || last === undefined) continue;
        this.acksByFirst.set(first, [...(this.acksByFirst.get(first) ?? []), words]);
        this.acksByLast.set(last, [...(this.acksByLast.get(last) ?? []), words]);
      }
      const cues = kb.smalltalk[lang]?.human_cues;
      for (const key of ['person', 'request', 'not_bot', 'info', 'presence'] as const) {
        for (const phrase of cues?.[key] ?? []) {
          const words = smalltalkWords(phrase);
          if (words.length > 0) this.cues[key].push(cue(words.join(' ')));
        }
      }
      if (saved) continue;
      for (const text of kb.offTopic[lang] ?? []) {
        examples.push({ features: features(smalltalkWords(text)), label: OTHER });
      }
    }
    if (typeof saved === 'function') {
      this.load = () => {
        const state = saved();
        if (state) return new EntryClassifier([], CLASSIFIER_TRAINING, state);
        const fresh = new SmalltalkMatcher(kb);
        onTrained.get(kb)?.(fresh);
        return fresh.classifier;
      };
      return;
    }
    if (saved) {
      const restored = new EntryClassifier([], CLASSIFIER_TRAINING, saved);
      this.load = () => restored;
      return;
    }
    for (const entry of kb.entries.values()) {
      for (const t of Object.values(entry.translations)) {
        for (const q of [t.title, ...t.questions]) {
          examples.push({ features: features(smalltalkWords(q)), label: OTHER });
        }
      }
    }
    const classifier = new EntryClassifier(examples);
    this.load = () => classifier;
  }

  private get classifier(): EntryClassifier {
    this.trained ??= this.load();
    return this.trained;
  }

  /** The trained classifier, to save beside the index cache. */
  state(): ClassifierState {
    return this.classifier.state();
  }

  /** The small-talk kind of a whole message, or undefined when it is anything else. */
  match(text: string): SmalltalkMatch | undefined {
    const seen = this.recent.get(text);
    if (seen) return seen.match;
    const words = smalltalkWords(text);
    const found = this.classify(words);
    // "I need the course coordinator, not a machine", "this bot is useless, give me a coordinator".
    // A thanks or greeting stays one ("thanks, I'll talk to the coordinator then").
    const open = !found || found.kind === 'about' || found.kind === 'help' || found.kind === 'greeting';
    const match = open ? (this.humanCue(words) ?? found) : found;
    if (this.recent.size >= RECENT_TEXTS) this.recent.clear();
    this.recent.set(text, { match });
    return match;
  }

  /**
   * Whether `match(text)` is a thanks or a greeting, worked out with less: a thanks by the
   * classifier is one whatever the words, and only a greeting is checked for a request for a person
   * (`humanCue`, which `match` tries on it).
   */
  acknowledges(text: string): boolean {
    const seen = this.recent.get(text);
    if (seen) return seen.match?.kind === 'thanks' || seen.match?.kind === 'greeting';
    const words = smalltalkWords(text);
    const found = this.classify(words);
    if (found?.kind === 'thanks') return true;
    return found?.kind === 'greeting' && this.humanCue(words) === undefined;
  }

  /**
   * A request for a person by its key phrases (`human_cues`): a person word with a "not a bot" or a
   * request word, no contact-details word, in a message of at most `coreMaxWords` words.
   */
  private humanCue(words: readonly string[]): SmalltalkMatch | undefined {
    if (this.cues.person.length === 0) return undefined;
    if (words.length === 0 || words.length > SMALLTALK_MATCHING.coreMaxWords) return undefined;
    const spaced = ` ${words.join(' ')} `;
    const unspaced = words.join('');
    const holds = (list: readonly Cue[]): boolean => foundCue(list, spaced, unspaced) !== undefined;
    // "is anyone there?", "görevli var mı": a short question whether a person is there. Its own
    // who-word ("誰", "ใคร") is no question about a person's details.
    const presence =
      words.length <= SMALLTALK_MATCHING.presenceMaxWords
        ? foundCue(this.cues.presence, spaced, unspaced)
        : undefined;
    if (presence) {
      const sp = spaced.replace(` ${presence} `, ' ');
      const un = unspaced.replace(presence.replaceAll(' ', ''), '');
      if (foundCue(this.cues.info, sp, un) !== undefined) return undefined;
      return { kind: 'human', lang: this.languageOf(words), confidence: 1 };
    }
    // Both give no request: the person words first (most messages have none).
    if (!holds(this.cues.person)) return undefined;
    if (holds(this.cues.info)) return undefined;
    if (!holds(this.cues.not_bot) && !holds(this.cues.request)) return undefined;
    return { kind: 'human', lang: this.languageOf(words), confidence: 1 };
  }

  private classify(raw: readonly string[]): SmalltalkMatch | undefined {
    const words: string[] = [];
    for (const w of raw) {
      const forms = this.knownForms(w);
      if (typeof forms === 'string') words.push(forms);
      else words.push(...forms);
    }
    if (words.length === 0) return undefined;
    // "cool thanks", "ok thx a lot", "makasih ya, oke": the thanks (greeting, goodbye) without the
    // acknowledgement around it.
    const core = this.withoutAcknowledgements(words);
    if (core.length > 0 && core.length < words.length && this.mayBeAckKind(core.length)) {
      const inner = this.classifyWords(core);
      if (inner && ACK_KINDS.includes(inner.kind)) return inner;
    }
    return this.classifyWords(words);
  }

  /**
   * Whether `classifyWords` of this many words can give a kind an acknowledgement leaves as it is:
   * past `maxWords` only a request core (`coreKinds`) is found.
   */
  private mayBeAckKind(length: number): boolean {
    return (
      length <= SMALLTALK_MATCHING.maxWords ||
      SMALLTALK_MATCHING.coreKinds.some((kind) => ACK_KINDS.includes(kind))
    );
  }

  /** `words` without acknowledgements at their start and end ("ok", "cool", "got it"). */
  private withoutAcknowledgements(words: readonly string[]): readonly string[] {
    let from = 0;
    let to = words.length;
    // The first acknowledgement (in file order) that starts at `from`, or ends at `to`: its length.
    const atStart = (): number => {
      for (const ack of this.acksByFirst.get(words[from] as string) ?? []) {
        if (from + ack.length > to) continue;
        if (ack.every((w, k) => words[from + k] === w)) return ack.length;
      }
      return 0;
    };
    const atEnd = (): number => {
      for (const ack of this.acksByLast.get(words[to - 1] as string) ?? []) {
        const start = to - ack.length;
        if (start < from) continue;
        if (ack.every((w, k) => words[start + k] === w)) return ack.length;
      }
      return 0;
    };
    for (let n = from < to ? atStart() : 0; n > 0; n = from < to ? atStart() : 0) from += n;
    for (let n = from < to ? atEnd() : 0; n > 0; n = from < to ? atEnd() : 0) to -= n;
    return from === 0 && to === words.length ? words : words.slice(from, to);
  }

  private classifyWords(words: readonly string[]): SmalltalkMatch | undefined {
    if (words.length > SMALLTALK_MATCHING.maxWords) return this.requestCore(words);
    // The language is worked out only for a match (most messages are none).
    const exact = this.exact.get(words.join(' '));
    if (exact) {
      return {
        kind: exact.kind,
        lang: exact.lang === 'en' ? this.languageOf(words) : exact.lang,
        confidence: 1,
      };
    }
    const known = words.filter((w) => this.known.has(w)).length;
    if (known < SMALLTALK_MATCHING.minKnownShare * words.length) return this.requestCore(words);
    const whole = this.kindOf(words, SMALLTALK_MATCHING.minProbability);
    if (!whole) return this.requestCore(words);
    return { kind: whole.kind, lang: this.languageOf(words), confidence: whole.p };
  }

  /** "Is this small talk at all?" (all kinds together, at least `min`), then which kind. */
  private kindOf(words: readonly string[], min: number): { kind: SmalltalkKind; p: number } | undefined {
    const probabilities = this.classifier.predict(features(words));
    const smalltalk = 1 - (probabilities.get(OTHER) ?? 1);
    if (smalltalk < min) return undefined;
    let best: { label: string; p: number } = { label: OTHER, p: 0 };
    for (const [label, p] of probabilities) if (label !== OTHER && p > best.p) best = { label, p };
    return { kind: best.label as SmalltalkKind, p: smalltalk };
  }

  /**
   * A run of small-talk words inside `words` that asks for a person or for help: the longest run
   * (short runs are noisy), and among runs as long a person wins ("this isn't helping, can I talk
   * to a coordinator": the "help" is a complaint), then the surest.
   */
  private requestCore(words: readonly string[]): SmalltalkMatch | undefined {
    const { coreMinWords, coreMaxWords, maxWords, coreKinds, coreMinProbability } = SMALLTALK_MATCHING;
    if (words.length > coreMaxWords || words.length < coreMinWords) return undefined;
    // knownUntil[i]: the end of the run of small-talk words from i (i itself when words[i] is none).
    const knownUntil = new Array<number>(words.length + 1);
    knownUntil[words.length] = words.length;
    for (let i = words.length - 1; i >= 0; i--) {
      knownUntil[i] = this.known.has(words[i] as string) ? (knownUntil[i + 1] as number) : i;
    }
    let best: { kind: SmalltalkKind; p: number } | undefined;
    for (let size = Math.min(maxWords, words.length); size >= coreMinWords && !best; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        if ((knownUntil[start] as number) < start + size) continue;
        const run = words.slice(start, start + size);
        const exact = this.exact.get(run.join(' '));
        const found = exact ? { kind: exact.kind, p: 1 } : this.kindOf(run, coreMinProbability);
        if (!found || !coreKinds.includes(found.kind)) continue;
        const rank = (m: { kind: SmalltalkKind; p: number }) => (m.kind === 'human' ? 1 : 0) + m.p / 2;
        if (!best || rank(found) > rank(best)) best = found;
      }
    }
    return best && { kind: best.kind, lang: this.languageOf(words), confidence: best.p };
  }

  /**
   * An unknown Thai or Japanese word as the known words the segmenter made of it elsewhere: ICU
   * cuts "เหรอ" whole after "AI" but "เห|รอ" after "บอท", and casual kana ("よろしくー", "さんきゅー")
   * carry a long-vowel mark the kept phrasings lack.
   */
  private knownForms(word: string): string | readonly string[] {
    let forms = this.forms.get(word);
    if (forms === undefined) {
      forms = this.findKnownForms(word);
      if (this.forms.size >= 10_000) this.forms.clear();
      this.forms.set(word, forms);
    }
    return forms;
  }

  private findKnownForms(word: string): string | string[] {
    const one = this.knownForm(word);
    if (this.known.has(one) || !UNSPACED.test(word)) return one;
    const bare = word.replace(/[ーー〜~っッ]+$/u, '');
    if (bare !== word && this.known.has(bare)) return bare;
    const chars = [...bare];
    for (let i = 1; i < chars.length; i++) {
      const head = chars.slice(0, i).join('');
      const tail = chars.slice(i).join('');
      if (this.known.has(head) && this.known.has(tail)) return [head, tail];
    }
    return one;
  }

  /**
   * A stretched word ("thankss", "byee") as the small-talk word it stretches, or an inflected one
   * ("kullanılıyor", "ditanyain") as the small-talk word it shares its stem with, when there is one.
   */
  private knownForm(word: string): string {
    if (this.known.has(word)) return word;
    if (/(\p{L})\1/u.test(word)) {
      const single = word.replace(/(\p{L})\1+/gu, '$1');
      if (this.known.has(single)) return single;
    }
    return this.sameStem(word) ?? word;
  }

  /**
   * The known small-talk word sharing the longest beginning with `word` (at least `stemMinChars`
   * letters and `stemMinShare` of the shorter word), in scripts written with spaces: chat inflects
   * ("kullanılıyor" for "kullanılır", "ditanyain" for "ditanya") where the phrasings have one form.
   */
  private sameStem(word: string): string | undefined {
    const { stemMinChars, stemMinShare } = SMALLTALK_MATCHING;
    const chars = [...word];
    if (chars.length < stemMinChars || UNSPACED.test(word)) return undefined;
    this.stems ??= this.stemIndex();
    let best: { word: string; n: number } | undefined;
    for (const candidate of this.stems.get(chars.slice(0, stemMinChars).join('')) ?? []) {
      const other = [...candidate];
      let n = 0;
      while (n < chars.length && n < other.length && chars[n] === other[n]) n++;
      if (n < stemMinShare * Math.min(chars.length, other.length)) continue;
      if (!best || n > best.n || (n === best.n && candidate.length < best.word.length))
        best = { word: candidate, n };
    }
    return best?.word;
  }

  private stems: Map<string, string[]> | undefined;

  /** Known words by their first `stemMinChars` letters. */
  private stemIndex(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const w of this.known) {
      const chars = [...w];
      if (chars.length < SMALLTALK_MATCHING.stemMinChars || UNSPACED.test(w)) continue;
      const key = chars.slice(0, SMALLTALK_MATCHING.stemMinChars).join('');
      const list = out.get(key) ?? [];
      list.push(w);
      out.set(key, list);
    }
    return out;
  }

  /** The language other than English whose small-talk words cover more of the message than English's do. */
  private languageOf(words: readonly string[]): Lang | undefined {
    const covered = (lang: Lang): number => {
      const vocab = this.vocabulary.get(lang);
      return vocab ? words.filter((w) => vocab.has(w)).length : 0;
    };
    const english = covered('en');
    let best: { lang: Lang | undefined; n: number } = { lang: undefined, n: english };
    for (const lang of LANGUAGES) {
      if (lang === 'en') continue;
      const n = covered(lang);
      if (n > best.n) best = { lang, n };
    }
    return best.lang;
  }
}

const matchers = new WeakMap<object, SmalltalkMatcher>();
/** Called with the matcher trained for a knowledge base, when it is trained (to save it). */
const onTrained = new WeakMap<object, (matcher: SmalltalkMatcher) => void>();

/** Makes `matcher` the one smalltalkMatcherFor(kb) returns (one restored from a saved classifier). */
export function useSmalltalkMatcher(kb: object, matcher: SmalltalkMatcher): void {
  matchers.set(kb, matcher);
}

/** Calls `save` with the matcher of `kb` once it is trained (on first use, as before). */
export function whenSmalltalkTrained(kb: object, save: (matcher: SmalltalkMatcher) => void): void {
  onTrained.set(kb, save);
}

/** The matcher for a knowledge base, trained once (a reload brings a new knowledge base, so a new matcher). */
export function smalltalkMatcherFor(
  kb: Pick<KnowledgeBase, 'smalltalk' | 'entries' | 'offTopic'>,
): SmalltalkMatcher {
  let matcher = matchers.get(kb);
  if (!matcher) {
    matcher = new SmalltalkMatcher(kb);
    matchers.set(kb, matcher);
    onTrained.get(kb)?.(matcher);
  }
  return matcher;
}
