import type { Reply } from '../../core/reply.js';
import { makeReply } from '../reply-builder.js';
import { matchSmalltalk } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';

/** Greetings, thanks and goodbyes in every supported language. */
export const smalltalkHandler = {
  intent: 'smalltalk',
  match: (turn: Turn) => matchSmalltalk(turn.text) !== undefined,
  handle(turn: Turn): Reply {
    const kind = matchSmalltalk(turn.text)?.kind ?? 'greeting';
    return makeReply({ intent: 'smalltalk', lang: turn.lang, text: turn.t(`smalltalk.${kind}`) });
  },
} satisfies IntentHandler;
