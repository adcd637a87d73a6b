import type { Reply } from '../../core/reply.js';
import { lookup } from '../../engines/knowledge/center.js';
import type { KnowledgeBase } from '../../engines/knowledge/loader.js';
import { makeReply } from '../reply-builder.js';
import type { SmalltalkMatch } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';

/** "Can I talk to a person?" where no hand-off can be opened: the coordination office's contacts. */
export function contactsReply(turn: Turn, kb: Pick<KnowledgeBase, 'center'>): Reply {
  const value = (path: string): string => lookup(kb.center, `contacts.coordinator.${path}`, turn.lang) ?? '';
  return makeReply({
    intent: 'smalltalk',
    kind: 'human',
    lang: turn.lang,
    text: turn.t('smalltalk.human', {
      office: value('name'),
      email: value('email'),
      phone: value('phone'),
      hours: value('hours'),
    }),
  });
}

/**
 * Greetings, thanks, goodbyes, "who are you?" (plainly: an automated assistant) and "can I talk to
 * a person?" (the office's contacts where the hand-off handler could not open a hand-off), in every language.
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
      if (kind === 'human') return contactsReply(turn, knowledge());
      return makeReply({ intent: 'smalltalk', kind, lang: turn.lang, text: turn.t(`smalltalk.${kind}`) });
    },
  } satisfies IntentHandler;
}
