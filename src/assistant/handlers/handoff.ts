/**
 * Hand-off to a person: "I want to talk to someone" (small talk `human`) or the "Talk to a person"
 * button opens one; while it is open the user's direct messages go to the coordinators' thread; a
 * message in a coordinator thread is a coordinator's answer (relayed) or "close". Decides; the
 * service posts.
 */
import type { Reply } from '../../core/reply.js';
import { CLOSE_COMMAND, type HandoffService, PERSON_COMMAND } from '../../engines/handoff/handoff-service.js';
import type { Logger } from '../../logger.js';
import type { ConversationMemory } from '../conversation-memory.js';
import { makeReply } from '../reply-builder.js';
import type { SmalltalkMatch } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';

export interface HandoffHandlerDeps {
  service: HandoffService;
  /** The conversation context: the question and the last turns go to the coordinators. */
  memory: Pick<ConversationMemory, 'get' | 'openHandoff'>;
  smalltalk: (text: string) => SmalltalkMatch | undefined;
  /** The office's contacts, when no hand-off can be opened on this platform. */
  contacts: (turn: Turn) => Reply;
  logger: Logger;
}

const CLOSE = new RegExp(`^${CLOSE_COMMAND} (\\d{1,12})$`);

function silent(turn: Turn): Reply {
  return makeReply({ intent: 'handoff', lang: turn.lang, text: '', silent: true });
}

export function handoffHandler(deps: HandoffHandlerDeps) {
  const { service } = deps;
  const asks = (turn: Turn): boolean =>
    turn.text.trim().toLowerCase() === PERSON_COMMAND || deps.smalltalk(turn.text)?.kind === 'human';
  const typed = (turn: Turn): boolean => !turn.msg.action || turn.msg.action.type === 'say';

  return {
    intent: 'handoff',
    async match(turn: Turn): Promise<boolean> {
      if (turn.msg.thread) return true;
      if (!typed(turn)) return false;
      if (CLOSE.test(turn.text) || asks(turn)) return true;
      if (!turn.msg.direct) return false;
      // Read with the conversation context, which the turn keeps after its reply anyway.
      return (await service.unexpired(await deps.memory.openHandoff(turn), turn.now)) !== undefined;
    },
    async handle(turn: Turn): Promise<Reply> {
      const { msg } = turn;
      if (msg.thread) {
        const outcome = await service.threadMessage(
          {
            platform: msg.platform,
            userId: msg.userId,
            threadId: msg.thread.threadId,
            text: turn.text,
            ...(msg.groups ? { groups: msg.groups } : {}),
          },
          turn.now,
        );
        if (outcome === 'closed' || outcome === 'already-closed')
          return makeReply({ intent: 'handoff', lang: turn.lang, text: turn.t('handoff.closedHere') });
        return silent(turn);
      }
      const close = CLOSE.exec(turn.text);
      if (close?.[1]) {
        const outcome = await service.close(
          Number(close[1]),
          { platform: msg.platform, userId: msg.userId, ...(msg.groups ? { groups: msg.groups } : {}) },
          turn.now,
        );
        const key =
          outcome === 'closed' || outcome === 'already-closed'
            ? 'handoff.closedHere'
            : 'handoff.notCoordinator';
        return makeReply({ intent: 'handoff', lang: turn.lang, text: turn.t(key) });
      }
      const open = await service.current(turn.userKey, turn.now);
      if (open && !asks(turn)) {
        const ack = await service.forward(open, turn.text, turn.now);
        return ack
          ? makeReply({ intent: 'handoff', lang: turn.lang, text: turn.t('handoff.forwarded') })
          : silent(turn);
      }
      if (open) return makeReply({ intent: 'handoff', lang: turn.lang, text: turn.t('handoff.stillOpen') });
      if (!service.available(msg.platform)) return deps.contacts(turn);
      try {
        const context = await deps.memory.get(turn);
        const question = context?.last?.question ?? turn.text;
        const opened = await service.open(
          {
            platform: msg.platform,
            userId: msg.userId,
            conversationId: msg.channelId,
            lang: turn.lang,
            question,
            turns: context?.turns ?? [],
          },
          turn.now,
        );
        if (opened)
          return makeReply({
            intent: 'handoff',
            kind: 'opened',
            lang: turn.lang,
            text: turn.t('handoff.opened'),
          });
      } catch (err) {
        deps.logger.warn({ err, platform: msg.platform }, 'could not post a hand-off to the coordinators');
      }
      return deps.contacts(turn);
    },
  } satisfies IntentHandler;
}
