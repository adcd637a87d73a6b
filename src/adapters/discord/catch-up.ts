/**
 * Messages written while no instance was connected to the gateway (between a holder's death and
 * the takeover, or during an outage), read from the channels' history when the bot connects. The
 * adapter runs each through the same intake as a live message, so what was answered is skipped.
 */
import {
  type Client,
  type Message,
  PermissionFlagsBits,
  SnowflakeUtil,
  type TextBasedChannel,
} from 'discord.js';
import type { Logger } from '../../logger.js';

/** Messages per channel read at most (Discord pages by 100). */
export const CATCH_UP_PER_CHANNEL = 300;
/** DM channels read at most: those of the users who wrote most recently. */
export const CATCH_UP_DM_CHANNELS = 500;

export interface CatchUpSettings {
  /** Messages written since this moment are read. */
  since: Date;
  /** DM channels to read besides the server channels (from the store: users who wrote lately). */
  dmChannels: readonly string[];
}

/**
 * The server text channels and threads the bot can read, then the given DM channels, each read
 * oldest first from `since`; channels that cannot be read are skipped with a log line.
 */
export async function* missedMessages(
  client: Client,
  settings: CatchUpSettings,
  logger: Pick<Logger, 'warn' | 'debug'>,
): AsyncGenerator<Message> {
  for (const channel of await readableChannels(client, settings.dmChannels, logger)) {
    try {
      yield* channelSince(channel, settings.since, logger);
    } catch (err) {
      logger.warn(
        { channel: channel.id, reason: String(err) },
        'discord: could not read a channel to catch up',
      );
    }
  }
}

async function readableChannels(
  client: Client,
  dmChannels: readonly string[],
  logger: Pick<Logger, 'debug'>,
): Promise<TextBasedChannel[]> {
  const me = client.user;
  const found = new Map<string, TextBasedChannel>();
  for (const channel of client.channels.cache.values()) {
    if (!channel.isTextBased() || channel.isDMBased() || !me) continue;
    const can = channel.permissionsFor(me);
    if (can?.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory]))
      found.set(channel.id, channel);
  }
  for (const id of dmChannels) {
    if (found.has(id)) continue;
    const channel = await client.channels.fetch(id).catch((err: unknown) => {
      logger.debug({ channel: id, reason: String(err) }, 'discord: a known channel is gone');
      return null;
    });
    if (channel?.isDMBased() && channel.isTextBased()) found.set(id, channel);
  }
  return [...found.values()];
}

async function* channelSince(
  channel: TextBasedChannel,
  since: Date,
  logger: Pick<Logger, 'warn'>,
): AsyncGenerator<Message> {
  let after = SnowflakeUtil.generate({ timestamp: since.getTime() }).toString();
  let read = 0;
  for (;;) {
    const page = await channel.messages.fetch({ after, limit: 100, cache: false });
    const oldestFirst = [...page.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const message of oldestFirst) if (message.createdTimestamp >= since.getTime()) yield message;
    read += oldestFirst.length;
    const last = oldestFirst.at(-1);
    if (!last || page.size < 100) return;
    if (read >= CATCH_UP_PER_CHANNEL) {
      logger.warn({ channel: channel.id, read }, 'discord: catch-up stopped at the per-channel cap');
      return;
    }
    after = last.id;
  }
}
