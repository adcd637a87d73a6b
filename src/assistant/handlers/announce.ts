/**
 * Announcements in chat: "OK, got it" under an announcement (recorded per person and target,
 * thanked privately), and a coordinator's question naming an announcement ("who has not confirmed
 * A-17?"), answered with the confirmations per target, those with none first.
 */
import type { AnnouncementService } from '../../engines/announcements/announcement-service.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

const REF = /(?:^|[^\p{L}\p{N}_-])(A-\d{1,9})(?![\p{L}\p{N}_-])/iu;

function mentionedRef(turn: Turn): string | undefined {
  if (turn.msg.action) return undefined;
  return REF.exec(turn.text)?.[1]?.toUpperCase();
}

export function announceHandler(deps: { announcements: AnnouncementService }) {
  return {
    intent: 'announce',
    async match(turn) {
      if (turn.msg.action?.type === 'announce-confirm') return true;
      const ref = mentionedRef(turn);
      return ref !== undefined && (await deps.announcements.exists(ref));
    },
    async handle(turn) {
      const t = turn.t;
      const actor = { platform: turn.msg.platform, userId: turn.msg.userId };
      const action = turn.msg.action;
      if (action?.type === 'announce-confirm') {
        const outcome = await deps.announcements.confirmClick(action.ref, actor, turn.msg.channelId);
        const key = outcome === 'recorded' ? 'thanks' : outcome;
        return makeReply({
          intent: 'announce',
          lang: turn.lang,
          text: t(`announcements:confirm.${key}`, { ref: action.ref }),
        });
      }
      const ref = mentionedRef(turn) ?? '';
      if (!(await deps.announcements.allowed(actor, 'announce.status', ref)))
        return makeReply({ intent: 'announce', lang: turn.lang, text: t('announcements:status.refused') });
      const view = await deps.announcements.status(ref);
      const targets = [...(view?.targets ?? [])].sort(
        (a, b) => Number(a.confirmedBy.length > 0) - Number(b.confirmedBy.length > 0),
      );
      const lines = targets.map((x) =>
        x.state !== 'sent'
          ? t('announcements:status.notSent', { target: x.target, state: x.state })
          : x.confirmedBy.length === 0
            ? t('announcements:status.none', { target: x.target })
            : t('announcements:status.line', {
                target: x.target,
                count: x.confirmedBy.length,
                people: x.confirmedBy.join(', '),
              }),
      );
      return makeReply({
        intent: 'announce',
        lang: turn.lang,
        title: t('announcements:status.title', { ref }),
        text: lines.map((l) => `- ${l}`).join('\n'),
      });
    },
  } satisfies IntentHandler;
}
