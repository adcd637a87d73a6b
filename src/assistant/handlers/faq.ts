import type { Reply, ReplyButton } from '../../core/reply.js';
import type { FaqMatch, FaqResult } from '../../engines/knowledge/faq-engine.js';
import type { KnowledgeService } from '../../engines/knowledge/knowledge-service.js';
import { sourceTitle } from '../../engines/knowledge/sources.js';
import type { UnansweredLog } from '../../stores/unanswered-log.js';
import { languageName, makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';
import { searchTurn } from '../turn-search.js';
import { fallbackReply } from './fallback.js';

/** Related entries shown under a confident answer must be at least this close. */
const RELATED_FLOOR = 0.35;

/** "Helpful? yes / no" under an answer; the adapters render them (the console asks for good or bad). */
export function feedbackButtons(turn: Turn, entryId: string): ReplyButton[] {
  return [true, false].map((helpful) => ({
    label: turn.t(helpful ? 'conversation:feedback.yes' : 'conversation:feedback.no'),
    action: { type: 'feedback' as const, entryId, helpful },
  }));
}

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
    buttons: [
      // Under every answer about visits: start a request from here.
      ...(match.entry.category === 'visit'
        ? [{ label: turn.t('visits:button.request'), action: { type: 'visit' as const } }]
        : []),
      ...feedbackButtons(turn, match.entry.id),
    ],
  });
}

/**
 * Answers from the knowledge base, or hands over to the fallback when not confident.
 * `lastEntry` gives the FAQ entry answered just before in this conversation (within the context's
 * 30 minutes), if any: a question the search cannot answer alone whose best guess is that entry
 * ("are sneakers fine?" after the visits' dress code) asks about it, and it is answered again, from
 * the same search (issue 14: a question about the answer just given, with or without a cue word).
 */
export function faqHandler(
  knowledge: KnowledgeService,
  unanswered: UnansweredLog,
  lastEntry?: (turn: Turn) => Promise<string | undefined>,
) {
  return {
    intent: 'faq',
    match: () => true,
    async handle(turn: Turn): Promise<Reply> {
      const result: FaqResult = searchTurn(knowledge.faq, turn);
      if (result.answer) {
        const related = result.suggestions.filter((s) => s.confidence >= RELATED_FLOOR);
        return answerReply(turn, result.answer, related);
      }
      const [best, ...rest] = result.suggestions;
      if (
        best &&
        best.confidence >= RELATED_FLOOR &&
        lastEntry &&
        (await lastEntry(turn)) === best.entry.id
      ) {
        return answerReply(
          turn,
          best,
          rest.filter((s) => s.confidence >= RELATED_FLOOR),
        );
      }
      const suggestions = result.suggestions.map((m) => ({
        entryId: m.entry.id,
        title: m.translation.title,
      }));
      // Not awaited: the log must never delay or fail the reply.
      unanswered.record({
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
