import type { Reply, Suggestion } from '../../core/reply.js';
import { PERSON_COMMAND } from '../../engines/handoff/handoff-service.js';
import { makeReply } from '../reply-builder.js';
import type { Turn } from '../turn.js';

/** The catch-all: a polite "not sure", with "did you mean" suggestions when there are any, and "Talk to a person". */
export function fallbackReply(turn: Turn, suggestions: Suggestion[] = [], confidence = 0): Reply {
  const text = suggestions.length > 0 ? turn.t('fallback.unsure') : turn.t('fallback.noMatch');
  const buttons = [
    { label: turn.t('handoff.button'), action: { type: 'say' as const, text: PERSON_COMMAND } },
  ];
  return makeReply({ intent: 'fallback', lang: turn.lang, text, suggestions, confidence, buttons });
}

/** A reply to input that is not a question at all (empty, only emoji, far too long). */
export function inputProblemReply(turn: Turn, key: string, values: Record<string, unknown> = {}): Reply {
  return makeReply({ intent: 'fallback', lang: turn.lang, text: turn.t(key, values), confidence: 0 });
}
