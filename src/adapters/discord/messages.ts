/** Gateway messages → `IncomingMessage`: DMs, and messages that mention the bot in a server channel. */
import type { Message } from 'discord.js';
import type { IncomingMessage } from '../../core/message.js';

/**
 * The assistant's view of a Discord message, or undefined when the bot must stay silent: its own
 * messages, other bots, webhooks and system messages, and channel messages that do not mention it.
 */
export function toIncomingMessage(
  message: Message,
  botId: string,
  coordinatorChannels: ReadonlySet<string> = new Set(),
): IncomingMessage | undefined {
  if (message.author.bot || message.author.id === botId || message.webhookId || message.system)
    return undefined;
  const direct = !message.inGuild();
  const thread = direct ? undefined : handoffThread(message, coordinatorChannels);
  if (!direct && !thread && !message.mentions.users.has(botId)) return undefined;
  return {
    platform: 'discord',
    userId: message.author.id,
    channelId: message.channelId,
    text: stripBotMention(message.content, botId),
    direct,
    ...(thread ? { thread } : {}),
    // In a coordinator channel's thread the member's roles decide who is a coordinator (the assistant decides).
    ...(thread && message.member
      ? { groups: [...message.member.roles.cache.values()].flatMap((r) => [r.id, r.name]) }
      : {}),
  };
}

/**
 * A message in a coordinator channel that answers a post (its `message_reference`), or a message in
 * a thread started from a post there (such a thread's id is the post's id): a possible hand-off reply.
 */
function handoffThread(
  message: Message,
  coordinatorChannels: ReadonlySet<string>,
): { channelId: string; threadId: string } | undefined {
  const ref = message.reference?.messageId;
  if (ref && coordinatorChannels.has(message.channelId))
    return { channelId: message.channelId, threadId: ref };
  const parent = message.channel.isThread() ? message.channel.parentId : null;
  if (parent && coordinatorChannels.has(parent)) return { channelId: parent, threadId: message.channelId };
  return undefined;
}

/** Removes `<@id>` / `<@!id>` mentions of the bot, so that "@Koban what is a Koban?" reads as the question. */
export function stripBotMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
