/** `knowledge/intents/visit.yaml`: the words that start, query, cancel and steer a visit request. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES } from '../../core/languages.js';
import { asciiDigits } from '../../core/text.js';
import { readYaml, type YamlReader } from '../knowledge/yaml-cache.js';
import { escapeRegExp } from '../schedule/normalize.js';

const perLang = z.partialRecord(z.enum(LANGUAGES), z.array(z.string().min(1)));

export const visitPhrasesSchema = z.object({
  start: perLang,
  howto: perLang,
  status: perLang,
  cancel: perLang,
  topic: perLang.default({}),
  ask: perLang.default({}),
  status_words: perLang.default({}),
  /** Group sizes as people write them, `#` standing for the number ("# people", "group of #", "#名"). */
  group: perLang.default({}),
  /** Words that make a message a question without a question mark ("mi", "ไหม", "آیا"), whole words. */
  question: perLang.default({}),
  controls: z.object({ cancel: perLang, back: perLang, skip: perLang, yes: perLang, no: perLang }),
});

export type Control = 'cancel' | 'back' | 'skip' | 'yes' | 'no';

/** Lower case, NFKC, zero-width characters out, punctuation to spaces, single spaces, padded with one space. */
export function normalizePhrase(s: string): string {
  // The visit, reminder and announcement phrases each normalise the same message in a turn.
  const known = normalized.get(s);
  if (known !== undefined) return known;
  const out = normalizePhraseOf(s);
  if (s.length <= 300) {
    if (normalized.size >= 64) normalized.clear();
    normalized.set(s, out);
  }
  return out;
}

/** The last texts normalised (a few: a message, and the phrases normalised at load pass through). */
const normalized = new Map<string, string>();

function normalizePhraseOf(s: string): string {
  const t = s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, (c) => (c === '\u200c' ? ' ' : ''))
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}\p{M}\p{N}'\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${t} `;
}

/** Scripts written without spaces: their phrases match anywhere, others only as whole words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * A phrase ready to be found with `includes` in a `normalizePhrase`d text: anywhere in scripts
 * written without spaces, otherwise as whole words.
 */
export function wholeWordPhrase(p: string): string {
  return UNSPACED.test(p) ? normalizePhrase(p).trim() : normalizePhrase(p);
}

/** Phrases of every language together: a delegation may write in a language other than the one detected. */
export class VisitPhrases {
  private readonly lists: Record<
    'start' | 'howto' | 'status' | 'cancel' | 'topic' | 'ask' | 'statusWords' | 'question',
    string[]
  >;
  private readonly controls: Map<string, Control>;
  /** The `group` patterns as one expression; the number is the first group that matched. */
  private readonly group: RegExp | undefined;

  constructor(data: z.infer<typeof visitPhrasesSchema>) {
    const flat = (m: z.infer<typeof perLang>) =>
      Object.values(m)
        .flat()
        // Spaced scripts: from the start of a word ("visit" finds "visiting").
        .map((p) => (UNSPACED.test(p) ? normalizePhrase(p).trim() : normalizePhrase(p).trimEnd()))
        .filter((p) => p.trim() !== '');
    this.lists = {
      start: flat(data.start),
      howto: flat(data.howto),
      status: flat(data.status),
      cancel: flat(data.cancel),
      topic: flat(data.topic),
      ask: flat(data.ask),
      statusWords: flat(data.status_words),
      // "^is": only at the start of the message; "か$": only at its end; otherwise whole words.
      question: Object.values(data.question)
        .flat()
        .map((p) => {
          const bare = p.replace(/^\^|\$$/g, '');
          const word = wholeWordPhrase(bare).trim();
          if (word === '') return '';
          const edge = UNSPACED.test(bare) ? '' : ' ';
          if (p.startsWith('^')) return `\u0000 ${word}${edge}`;
          if (p.endsWith('$')) return `${edge}${word} \u0000`;
          return wholeWordPhrase(bare);
        })
        .filter((p) => p.trim() !== ''),
    };
    this.group = groupPattern(Object.values(data.group).flat());
    this.controls = new Map();
    for (const control of ['cancel', 'back', 'skip', 'yes', 'no'] as const) {
      for (const p of Object.values(data.controls[control]).flat()) {
        const key = p.normalize('NFKC').toLowerCase().trim();
        if (!this.controls.has(key)) this.controls.set(key, control);
      }
    }
  }

  static readonly empty = new VisitPhrases({
    start: {},
    howto: {},
    status: {},
    cancel: {},
    topic: {},
    ask: {},
    status_words: {},
    group: {},
    question: {},
    controls: { cancel: {}, back: {}, skip: {}, yes: {}, no: {} },
  });

  /**
   * The last text normalised, and which lists it holds a phrase of: one message is checked against
   * several lists, several times (the same list again by wantsToStart and asksStatus).
   */
  private last: { text: string; normalized: string; found: Map<string, boolean> } | undefined;

  private has(kind: keyof VisitPhrases['lists'], text: string): boolean {
    if (this.last?.text !== text) this.last = { text, normalized: normalizePhrase(text), found: new Map() };
    let found = this.last.found.get(kind);
    if (found === undefined) {
      // The message's start and end are marked for `question` words anchored to them ("^is", "か$").
      const t = kind === 'question' ? `\u0000${this.last.normalized}\u0000` : this.last.normalized;
      found = this.lists[kind].some((p) => t.includes(p));
      this.last.found.set(kind, found);
    }
    return found;
  }

  /**
   * A request to start, and not a question about how to request or about the status: a `start`
   * phrase; or a visit or place word (`topic`) with a wish or request form (`ask`), in a statement or
   * in a question that gives details (a number, a group size, a day); or a visit or place word with
   * the details only a request has: a group size in a statement ("koban visit, 16 pax"), or a group
   * size and a day even in a question ("could we come by a koban on Friday? there are 4 of us").
   * `mentionsDay` says whether a text names a day, a month or a part of the day; it is asked only
   * when it matters, about the message without its group size ("10 subay" is no "10 Şubat").
   */
  wantsToStart(text: string, mentionsDay?: (text: string) => boolean): boolean {
    if (this.has('howto', text) || this.asksStatus(text)) return false;
    if (this.has('start', text)) return true;
    if (!this.has('topic', text)) return false;
    const question = this.isQuestion(text);
    const size = this.groupSize(text) !== undefined;
    if (this.has('ask', text) && (!question || size || /\p{Nd}/u.test(text))) return true;
    return size && (!question || (mentionsDay?.(this.withoutGroupSize(text)) ?? false));
  }

  /** The message (lower case, NFKC) with its group sizes taken out. */
  withoutGroupSize(text: string): string {
    const t = text.normalize('NFKC').toLowerCase();
    return this.group ? t.replace(new RegExp(this.group.source, 'gu'), ' ') : t;
  }

  /** A question mark, or a question word or particle of `question` ("mi", "ไหม", "آیا"). */
  isQuestion(text: string): boolean {
    return /[?？؟]/u.test(text) || this.has('question', text);
  }

  /** The group size a message gives ("12 officers", "group of 9", "۷ نفریم"), if any. */
  groupSize(text: string): number | undefined {
    if (!this.group) return undefined;
    const m = this.group.exec(normalizePhrase(text));
    const digits = m?.slice(1).find((g) => g !== undefined);
    if (digits === undefined) return undefined;
    const n = Number(asciiDigits(digits));
    return n > 0 ? n : undefined;
  }

  asksStatus(text: string): boolean {
    return this.has('status', text) || (this.has('topic', text) && this.has('statusWords', text));
  }

  asksCancel(text: string): boolean {
    return this.has('cancel', text);
  }

  /** The control word the whole message is ("back", "キャンセル"), if it is one. */
  control(text: string): Control | undefined {
    const key = text
      .normalize('NFKC')
      .toLowerCase()
      .trim()
      .replace(/(?<=.)[.!?。！？]+$/u, '');
    return this.controls.get(key);
  }
}

/**
 * The `group` patterns as one expression over a `normalizePhrase`d text: `#` is a number of one to
 * three digits (any script); a space may be left out ("12名", "12people"); words in spaced scripts
 * start a word and match from its start ("# kişi" finds "12 kişilik"), as the other lists do.
 */
function groupPattern(patterns: string[]): RegExp | undefined {
  const number = '\\s*(?<!\\p{Nd})(\\p{Nd}{1,3})(?!\\p{Nd})\\s*';
  const parts = patterns
    .filter((p) => p.includes('#'))
    .map((p) => {
      const pieces = p.split('#').map((piece) => normalizePhrase(piece).trim());
      const body = pieces.map((piece) => piece.split(' ').map(escapeRegExp).join('\\s*')).join(number);
      const first = pieces[0] ?? '';
      return first === '' || UNSPACED.test(first) ? body : `(?<![\\p{L}\\p{M}])${body}`;
    });
  return parts.length > 0 ? new RegExp(parts.join('|'), 'u') : undefined;
}

export class VisitPhrasesError extends Error {
  readonly code = 'VISIT_PHRASES_INVALID';
}

/** Reads `<knowledge>/intents/visit.yaml`; no file means no phrases (the button and /visit still work). */
export function readVisitPhrases(knowledgeDir: string, yaml: YamlReader = readYaml): VisitPhrases {
  const path = join(knowledgeDir, 'intents', 'visit.yaml');
  if (!existsSync(path)) return VisitPhrases.empty;
  let raw: unknown;
  try {
    raw = yaml(path);
  } catch (err) {
    throw new VisitPhrasesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = visitPhrasesSchema.safeParse(raw);
  if (!parsed.success) throw new VisitPhrasesError(`${path}: ${z.prettifyError(parsed.error)}`);
  return new VisitPhrases(parsed.data);
}
