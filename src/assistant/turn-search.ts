/**
 * The FAQ's search of a turn's own message, run once per turn: the follow-up step asks it (does a
 * question with an `about_last` cue ask about the entry just answered?) and, when it reads the
 * message as no follow-up, the FAQ handler asks the same again. Remembered per turn object; a
 * different text or language (a turn copied with a piece of the message), or a knowledge reload
 * in between (another engine), is searched afresh. Callers only read the result.
 */
import type { Lang } from '../core/languages.js';
import type { FaqEngine, FaqResult } from '../engines/knowledge/faq-engine.js';
import type { Turn } from './turn.js';

const searched = new WeakMap<Turn, { faq: FaqEngine; text: string; lang: Lang; result: FaqResult }>();

/** `faq.search(turn.text, turn.lang)`, once per turn. */
export function searchTurn(faq: FaqEngine, turn: Turn): FaqResult {
  const seen = searched.get(turn);
  if (seen && seen.faq === faq && seen.text === turn.text && seen.lang === turn.lang) return seen.result;
  const result = faq.search(turn.text, turn.lang);
  searched.set(turn, { faq, text: turn.text, lang: turn.lang, result });
  return result;
}
