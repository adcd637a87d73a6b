import type { Reply } from '../../core/reply.js';
import type { FaqMatch, FaqResult } from '../../engines/knowledge/faq-engine.js';
import type { KnowledgeService } from '../../engines/knowledge/knowledge-service.js';
import { sourceTitle } from '../../engines/knowledge/sources.js';
import type { UnansweredLog } from '../../stores/unanswered-log.js';
import { languageName, makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';
import { fallbackReply } from './fallback.js';

/** Related entries shown under a confident answer must be at least this close. */
const RELATED_FLOOR = 0.35;

export function answerReply(turn: Turn, match: FaqMatch, related: FaqMatch[] = []): Reply {
  const notes: string[] = [];
  if (match.translation.lang !== turn.lang) {
    notes.push(turn.t('faq.englishOnly', { language: languageName(turn.lang, turn.lang) }));
  }
  const source = match.entry.source;
  if (source) notes.push(turn.t('faq.source', { source: sourceTitle(source, turn.lang) }));
  return makeReply({
    intent: 'faq',
    lang: turn.lang,
    title: match.translation.title,
    text: match.translation.body,
    notes,
    entryId: match.entry.id,
    confidence: match.confidence,
    suggestions: related.map((m) => ({ entryId: m.entry.id, title: m.translation.title })),
  });
}

/** Answers from the knowledge base, or hands over to the fallback when not confident. */
export function faqHandler(knowledge: KnowledgeService, unanswered: UnansweredLog) {
  return {
    intent: 'faq',
    match: () => true,
    async handle(turn: Turn): Promise<Reply> {
      const result: FaqResult = knowledge.faq.search(turn.text, turn.lang);
      if (result.answer) {
        const related = result.suggestions.filter((s) => s.confidence >= RELATED_FLOOR);
        return answerReply(turn, result.answer, related);
      }
      const suggestions = result.suggestions.map((m) => ({
        entryId: m.entry.id,
        title: m.translation.title,
      }));
      await unanswered.record({
        at: turn.now.toISOString(),
        platform: turn.msg.platform,
        user: turn.userKey,
        lang: turn.lang,
        text: turn.text,
        confidence: result.confidence,
        suggestions: suggestions.map((s) => s.entryId),
      });
      return fallbackReply(turn, suggestions, result.confidence);
    },
  } satisfies IntentHandler;
}
