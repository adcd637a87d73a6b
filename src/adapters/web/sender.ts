/**
 * The web `Sender`: a web requester has no inbox to send to; their private status page shows the
 * decision (and its `.ics`) from the request itself, so a notice counts as delivered once recorded.
 */
import type { Reply } from '../../core/reply.js';
import type { Sender } from '../../core/sender.js';
import type { Logger } from '../../logger.js';

export class WebSender implements Sender {
  readonly platform = 'web' as const;

  constructor(private readonly logger: Logger) {}

  async post(channel: string, _reply: Reply): Promise<undefined> {
    throw new Error(`the web chat has no channels to post in (web:${channel})`);
  }

  async dm(_userId: string, reply: Reply): Promise<void> {
    this.logger.debug({ intent: reply.intent }, 'web: visit notice shown on the requester status page');
  }
}
