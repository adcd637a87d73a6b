/** Gateway messages → `IncomingMessage`: DMs, and messages that mention the bot in a server channel. */
import type { Message } from 'discord.js';
import type { IncomingMessage } from '../../core/message.js';

/**
 * The assistant's view of a Discord message, or undefined when the bot must stay silent: its own
 * messages, other bots, webhooks and system messages, and channel messages that do not mention it.
 */
export function toIncomingMessage(message: Message, botId: string): IncomingMessage | undefined {
  if (message.author.bot || message.author.id === botId || message.webhookId || message.system)
    return undefined;
  const direct = !message.inGuild();
  if (!direct && !message.mentions.users.has(botId)) return undefined;
  return {
    platform: 'discord',
    userId: message.author.id,
    channelId: message.channelId,
    text: stripBotMention(message.content, botId),
    direct,
  };
}

/** Removes `<@id>` / `<@!id>` mentions of the bot, so that "@Koban what is a Koban?" reads as the question. */
export function stripBotMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
