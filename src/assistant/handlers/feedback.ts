/**
 * "Helpful? yes/no" under an FAQ answer: stores the vote with the entry, the language, the platform
 * and the question it answered (from the conversation context; redacted by the store), and thanks.
 */
import type { Reply } from '../../core/reply.js';
import type { KnowledgeService } from '../../engines/knowledge/knowledge-service.js';
import type { Logger } from '../../logger.js';
import type { FeedbackRepo } from '../../stores/feedback.js';
import type { ConversationMemory } from '../conversation-memory.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

export interface FeedbackDeps {
  feedback: FeedbackRepo;
  memory: ConversationMemory;
  knowledge: KnowledgeService;
  logger: Logger;
}

export function feedbackHandler(deps: FeedbackDeps) {
  return {
    intent: 'feedback',
    match: (turn: Turn) => turn.msg.action?.type === 'feedback',
    async handle(turn: Turn): Promise<Reply> {
      const action = turn.msg.action;
      const helpful = action?.type === 'feedback' && action.helpful;
      const key = helpful ? 'conversation:feedback.thanksYes' : 'conversation:feedback.thanksNo';
      // A click on a button of an entry that no longer exists is thanked, not stored.
      if (action?.type === 'feedback' && deps.knowledge.kb.entries.has(action.entryId)) {
        const last = (await deps.memory.get(turn))?.last;
        const question = last?.entryId === action.entryId ? last.question : '';
        try {
          await deps.feedback.record({
            at: turn.now.toISOString(),
            platform: turn.msg.platform,
            entryId: action.entryId,
            lang: turn.lang,
            question,
            helpful,
          });
        } catch (err) {
          deps.logger.warn({ err }, 'could not store a feedback vote');
        }
      }
      return makeReply({ intent: 'feedback', lang: turn.lang, text: turn.t(key) });
    },
  } satisfies IntentHandler;
}
