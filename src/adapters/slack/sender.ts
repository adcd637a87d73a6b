/** The Slack `Sender`: a neutral Reply posted in a channel, or privately in the app's DM with a user. */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.js';
import type { Sender } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import { renderReply } from './block-kit.js';
import type { Delivery } from './delivery.js';
import { SlackDeliveryError } from './errors.js';

export class SlackSender implements Sender {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly delivery: Delivery,
    private readonly i18n: I18nService,
  ) {}

  async post(channel: string, reply: Reply): Promise<void> {
    await this.send(channel, '', reply);
  }

  async dm(userId: string, reply: Reply): Promise<void> {
    // Files need the DM's channel id; messages would take the user id, uploads do not.
    const opened = await this.client.conversations.open({ users: userId });
    await this.send(opened.channel?.id ?? userId, userId, reply);
  }

  private async send(channel: string, user: string, reply: Reply): Promise<void> {
    const message = renderReply(reply, this.i18n);
    const sent = await this.delivery.visible(
      this.client,
      { channel, user },
      message,
      reply.lang,
      reply.attachment,
    );
    if (!sent) throw new SlackDeliveryError(channel);
  }
}
