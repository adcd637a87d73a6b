/** "OK, got it" under an announcement: the click is recorded per person and target, and thanked privately. */
import type { AnnouncementService } from '../../engines/announcements/announcement-service.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler } from '../turn.js';

export function announceHandler(deps: { announcements: AnnouncementService }) {
  return {
    intent: 'announce',
    match: (turn) => turn.msg.action?.type === 'announce-confirm',
    async handle(turn) {
      const action = turn.msg.action;
      const ref = action?.type === 'announce-confirm' ? action.ref : '';
      const outcome = await deps.announcements.confirmClick(
        ref,
        { platform: turn.msg.platform, userId: turn.msg.userId },
        turn.msg.channelId,
      );
      const t = turn.t;
      const key = outcome === 'recorded' ? 'thanks' : outcome;
      return makeReply({
        intent: 'announce',
        lang: turn.lang,
        text: t(`announcements:confirm.${key}`, { ref }),
      });
    },
  } satisfies IntentHandler;
}
