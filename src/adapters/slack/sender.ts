/**
 * The Slack `Sender`: a neutral Reply posted in a channel, or privately in the app's DM with a user.
 * The outbox methods make one call each and report Slack's refusal as a DeliveryError (with
 * Retry-After), leaving retries to the outbox, whose waits survive a restart.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.js';
import { DeliveryError, hasMarker, type OutboxSender } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import { renderReply } from './block-kit.js';
import type { Delivery } from './delivery.js';
import {
  AUTH_ERRORS,
  CHANNEL_ERRORS,
  SlackDeliveryError,
  slackErrorCode,
  slackRetryAfter,
} from './errors.js';

/** How many recent messages the duplicate check reads. */
const HISTORY_LIMIT = 100;

function deliveryError(err: unknown): DeliveryError {
  const code = slackErrorCode(err);
  return new DeliveryError(code, {
    retryAfterSeconds: slackRetryAfter(err),
    permanent: CHANNEL_ERRORS.has(code) || AUTH_ERRORS.has(code),
  });
}

export class SlackSender implements OutboxSender {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly delivery: Delivery,
    private readonly i18n: I18nService,
  ) {}

  async post(
    channel: string,
    reply: Reply,
    options: { threadId?: string } = {},
  ): Promise<string | undefined> {
    if (options.threadId === undefined) {
      await this.send(channel, '', reply);
      return undefined;
    }
    const message = renderReply(reply, this.i18n);
    try {
      const res = await this.client.chat.postMessage({
        channel,
        thread_ts: options.threadId,
        ...message,
        unfurl_links: false,
      });
      if (!res.ts) throw new DeliveryError('no_ts');
      return res.ts;
    } catch (err) {
      throw err instanceof DeliveryError ? err : deliveryError(err);
    }
  }

  async dm(userId: string, reply: Reply): Promise<void> {
    // Files need the DM's channel id; messages would take the user id, uploads do not.
    const opened = await this.client.conversations.open({ users: userId });
    await this.send(opened.channel?.id ?? userId, userId, reply);
  }

  async publish(channel: string, reply: Reply): Promise<string> {
    const message = renderReply(reply, this.i18n);
    try {
      const res = await this.client.chat.postMessage({ channel, ...message, unfurl_links: false });
      if (!res.ts) throw new DeliveryError('no_ts');
      return res.ts;
    } catch (err) {
      throw err instanceof DeliveryError ? err : deliveryError(err);
    }
  }

  async update(channel: string, messageId: string, reply: Reply): Promise<void> {
    const message = renderReply(reply, this.i18n);
    try {
      await this.client.chat.update({ channel, ts: messageId, text: message.text, blocks: message.blocks });
    } catch (err) {
      throw deliveryError(err);
    }
  }

  async dmChannel(userId: string): Promise<string> {
    try {
      const opened = await this.client.conversations.open({ users: userId });
      if (!opened.channel?.id) throw new DeliveryError('no_channel');
      return opened.channel.id;
    } catch (err) {
      throw err instanceof DeliveryError ? err : deliveryError(err);
    }
  }

  async findMarker(channel: string, marker: string): Promise<string | undefined> {
    try {
      const res = await this.client.conversations.history({ channel, limit: HISTORY_LIMIT });
      const found = (res.messages ?? []).find(
        (m) =>
          m.bot_id !== undefined && hasMarker(`${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`, marker),
      );
      return found?.ts;
    } catch (err) {
      throw deliveryError(err);
    }
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
