/** The Discord `Sender`: a neutral Reply posted in a channel, or in the bot's DM with a user. */
import type { Client } from 'discord.js';
import type { Reply } from '../../core/reply.js';
import type { Sender } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import { NAMESPACE } from './commands.js';
import { toOptions } from './interactions.js';
import { renderReply } from './render.js';

export class DiscordSender implements Sender {
  readonly platform = 'discord' as const;

  constructor(
    private readonly client: Client,
    private readonly i18n: I18nService,
  ) {}

  async post(channelId: string, reply: Reply): Promise<void> {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable())
      throw new Error(`discord channel ${channelId} is not one the bot can post in`);
    for (const payload of this.render(reply)) await channel.send(toOptions(payload));
  }

  async dm(userId: string, reply: Reply): Promise<void> {
    const dm = await this.client.users.createDM(userId);
    for (const payload of this.render(reply)) await dm.send(toOptions(payload));
  }

  private render(reply: Reply) {
    return renderReply(reply, { t: this.i18n.t(reply.lang, NAMESPACE) });
  }
}
