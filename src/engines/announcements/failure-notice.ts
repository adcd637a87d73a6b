/**
 * Tells the coordinators when a target ends `failed`: the announcement's author by DM (when they
 * posted from Slack or Discord) and the coordinators' channels (`KOBAN_COORDINATOR_CHANNELS`).
 */
import type { Lang } from '../../core/languages.js';
import { makeReply, type Reply } from '../../core/reply.js';
import type { SenderRegistry } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../stores/store.js';
import type { OutboxEntry } from './outbox.js';

export interface FailureNoticeDeps {
  store: Pick<Store, 'announcements' | 'getUser'>;
  senders: SenderRegistry;
  i18n: I18nService;
  logger: Logger;
  /** "slack:C0123" entries of KOBAN_COORDINATOR_CHANNELS. */
  coordinatorChannels: readonly string[];
}

function notice(lang: Lang, text: string): Reply {
  return makeReply({ intent: 'announce', lang, text });
}

export function failureNotifier(deps: FailureNoticeDeps): (entry: OutboxEntry) => Promise<void> {
  return async (entry) => {
    const params = { ref: entry.refId, target: entry.target, reason: entry.error ?? '?' };
    deps.logger.error({ ...params, kind: entry.kind }, 'outbox: a target failed; telling the coordinators');
    const record =
      entry.kind === 'announcement' ? await deps.store.announcements.get(entry.refId) : undefined;
    const author = record ? /^(slack|discord):(.+)$/.exec(record.createdBy) : null;
    if (author?.[1] && author[2]) {
      const prefs = await deps.store.getUser(record?.createdBy ?? '');
      const lang = prefs.lang ?? 'en';
      const text = deps.i18n.t(lang, 'announcements')('failed', params);
      await deps.senders.get(author[1])?.dm(author[2], notice(lang, text));
    }
    const text = deps.i18n.t('en', 'announcements')('failed', params);
    for (const channel of deps.coordinatorChannels) {
      const m = /^(slack|discord):(.+)$/.exec(channel);
      if (m?.[1] && m[2]) await deps.senders.get(m[1])?.post(m[2], notice('en', text));
    }
  };
}
