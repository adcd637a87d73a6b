/**
 * "Send me announcements by DM" / "stop sending me announcements by DM" (phrasings in
 * `knowledge/intents/announcements.yaml`): stores the preference with the user's language; the
 * announcement service then adds a DM copy for them.
 */
import { AUTONYMS } from '../../core/languages.js';
import type { AnnouncementPhrases } from '../../engines/announcements/dm-phrases.js';
import type { AnnouncementDmRepo } from '../../stores/announcement-dms.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler } from '../turn.js';

export function announceDmHandler(deps: {
  dms: AnnouncementDmRepo;
  phrases: () => AnnouncementPhrases;
}): IntentHandler {
  return {
    intent: 'announce',
    match(turn) {
      return !turn.msg.action && deps.phrases().dmRequest(turn.text) !== undefined;
    },
    async handle(turn) {
      const request = deps.phrases().dmRequest(turn.text);
      let key: string;
      if (request === 'on') {
        await deps.dms.optIn(turn.userKey, turn.lang);
        key = 'on';
      } else {
        key = (await deps.dms.optOut(turn.userKey)) ? 'off' : 'notOn';
      }
      return makeReply({
        intent: 'announce',
        lang: turn.lang,
        text: turn.t(`announcements:dm.${key}`, { language: AUTONYMS[turn.lang] }),
      });
    },
  };
}
