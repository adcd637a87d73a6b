import type { Reply } from '../../core/reply.js';
import { lookup } from '../../engines/knowledge/center.js';
import type { KnowledgeBase } from '../../engines/knowledge/loader.js';
import { makeReply } from '../reply-builder.js';
import type { SmalltalkMatch } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';

/**
 * Greetings, thanks, goodbyes, "who are you?" (plainly: an automated assistant) and "can I talk to
 * a person?" (for now, the coordination office's contact from center.yaml), in every language.
 */
export function smalltalkHandler(
  smalltalk: (text: string) => SmalltalkMatch | undefined,
  knowledge: () => Pick<KnowledgeBase, 'center'>,
) {
  const wanted = (turn: Turn): SmalltalkMatch | undefined => {
    const m = smalltalk(turn.text);
    return m && m.kind !== 'help' ? m : undefined;
  };
  return {
    intent: 'smalltalk',
    match: (turn: Turn) => wanted(turn) !== undefined,
    handle(turn: Turn): Reply {
      const kind = wanted(turn)?.kind ?? 'greeting';
      if (kind === 'human') {
        const { center } = knowledge();
        const value = (path: string): string =>
          lookup(center, `contacts.coordinator.${path}`, turn.lang) ?? '';
        return makeReply({
          intent: 'smalltalk',
          kind,
          lang: turn.lang,
          text: turn.t('smalltalk.human', {
            office: value('name'),
            email: value('email'),
            phone: value('phone'),
            hours: value('hours'),
          }),
        });
      }
      return makeReply({ intent: 'smalltalk', kind, lang: turn.lang, text: turn.t(`smalltalk.${kind}`) });
    },
  } satisfies IntentHandler;
}
