import type { Reply, Suggestion } from '../../core/reply.js';
import { makeReply } from '../reply-builder.js';
import type { Turn } from '../turn.js';

/** The catch-all: a polite "not sure", with "did you mean" suggestions when there are any. */
export function fallbackReply(turn: Turn, suggestions: Suggestion[] = [], confidence = 0): Reply {
  const text = suggestions.length > 0 ? turn.t('fallback.unsure') : turn.t('fallback.noMatch');
  return makeReply({ intent: 'fallback', lang: turn.lang, text, suggestions, confidence });
}

/** A reply to input that is not a question at all (empty, only emoji, far too long). */
export function inputProblemReply(turn: Turn, key: string, values: Record<string, unknown> = {}): Reply {
  return makeReply({ intent: 'fallback', lang: turn.lang, text: turn.t(key, values), confidence: 0 });
}
