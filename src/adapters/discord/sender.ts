/**
 * The Discord `Sender`: a neutral Reply posted in a channel, or in the bot's DM with a user. discord.js
 * itself waits out a 429's retry_after; other refusals reach the outbox as a DeliveryError. A long
 * reply is several messages: its id is their ids joined with commas.
 */
import { type Client, DiscordAPIError, type Message, RateLimitError } from 'discord.js';
import type { Reply } from '../../core/reply.js';
import { DeliveryError, hasMarker, type OutboxSender } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import { NAMESPACE } from './commands.js';
import { toOptions } from './interactions.js';
import { renderReply } from './render.js';

/** Discord codes after which sending again cannot work: unknown channel or message, no access, no DMs. */
const PERMANENT = new Set([10003, 10008, 50001, 50007, 50013]);

function deliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError)
    return new DeliveryError('rate limited', { retryAfterSeconds: err.retryAfter / 1000 });
  if (err instanceof DiscordAPIError)
    return new DeliveryError(`${err.code} ${err.message}`, {
      permanent: typeof err.code === 'number' && PERMANENT.has(err.code),
    });
  return new DeliveryError(err instanceof Error ? err.message : String(err));
}

export class DiscordSender implements OutboxSender {
  readonly platform = 'discord' as const;

  constructor(
    private readonly client: Client,
    private readonly i18n: I18nService,
  ) {}

  async post(
    channelId: string,
    reply: Reply,
    options: { threadId?: string } = {},
  ): Promise<string | undefined> {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable())
      throw new Error(`discord channel ${channelId} is not one the bot can post in`);
    const ids: string[] = [];
    for (const payload of this.render(reply)) {
      // In a hand-off the post answers the coordinator post (its "thread").
      const thread = options.threadId
        ? { reply: { messageReference: options.threadId, failIfNotExists: false } }
        : {};
      ids.push((await channel.send({ ...toOptions(payload), ...thread })).id);
    }
    return options.threadId ? ids[0] : undefined;
  }

  async dm(userId: string, reply: Reply): Promise<void> {
    const dm = await this.client.users.createDM(userId);
    for (const payload of this.render(reply)) await dm.send(toOptions(payload));
  }

  async publish(channelId: string, reply: Reply): Promise<string> {
    try {
      const channel = await this.sendable(channelId);
      const ids: string[] = [];
      for (const payload of this.render(reply)) ids.push((await channel.send(toOptions(payload))).id);
      return ids.join(',');
    } catch (err) {
      throw deliveryError(err);
    }
  }

  async update(channelId: string, messageId: string, reply: Reply): Promise<void> {
    try {
      const channel = await this.sendable(channelId);
      const ids = messageId.split(',');
      const payloads = this.render(reply);
      for (const [i, payload] of payloads.entries()) {
        const id = ids[i];
        if (id) await channel.messages.edit(id, toOptions(payload));
        else await channel.send(toOptions(payload));
      }
    } catch (err) {
      throw deliveryError(err);
    }
  }

  async dmChannel(userId: string): Promise<string> {
    try {
      return (await this.client.users.createDM(userId)).id;
    } catch (err) {
      throw deliveryError(err);
    }
  }

  async findMarker(channelId: string, marker: string): Promise<string | undefined> {
    try {
      const channel = await this.sendable(channelId);
      const recent = await channel.messages.fetch({ limit: 100 });
      const mine = [...recent.values()].filter((m: Message) => m.author.id === this.client.user?.id);
      const found = mine.find((m) =>
        hasMarker(`${m.content} ${JSON.stringify(m.embeds.map((e) => e.toJSON()))}`, marker),
      );
      return found?.id;
    } catch (err) {
      throw deliveryError(err);
    }
  }

  private async sendable(channelId: string) {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable() || !('messages' in channel))
      throw new DeliveryError(`discord channel ${channelId} is not one the bot can post in`, {
        permanent: true,
      });
    return channel;
  }

  private render(reply: Reply) {
    return renderReply(reply, { t: this.i18n.t(reply.lang, NAMESPACE) });
  }
}
