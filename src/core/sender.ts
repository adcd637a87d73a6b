import type { Platform } from './message.js';
import type { Reply } from './reply.js';

/**
 * What outgoing work (visit notices, later announcements) asks of a platform: post a neutral
 * `Reply` in a channel or to one user privately. Each adapter offers one while it runs.
 */
export interface Sender {
  readonly platform: Platform;
  /**
   * Posts in `channel`, inside the thread of post `threadId` when given (a hand-off); returns the
   * message id when posting in a thread.
   */
  post(channel: string, reply: Reply, options?: { threadId?: string }): Promise<string | undefined>;
  dm(userId: string, reply: Reply): Promise<void>;
}

/**
 * What the outbox (announcements, reminders) needs on top: post with the message id returned,
 * edit a posted message, and look for a marker in a conversation's recent history. These methods
 * throw a `DeliveryError`, never retry themselves.
 */
export interface OutboxSender extends Sender {
  /** Posts in `channel` and returns the platform's message id (Slack ts, Discord message ids). */
  publish(channel: string, reply: Reply): Promise<string>;
  /** Replaces the text of a message `publish` returned. */
  update(channel: string, messageId: string, reply: Reply): Promise<void>;
  /** The conversation id of the bot's DM with a user. */
  dmChannel(userId: string): Promise<string>;
  /** The id of a recent bot message in `channel` whose text contains `marker`, if any. */
  findMarker(channel: string, marker: string): Promise<string | undefined>;
}

/** A platform's refusal, in neutral terms: its reason, and when (or whether) to try again. */
export class DeliveryError extends Error {
  readonly code = 'DELIVERY_FAILED';
  /** Seconds the platform asked us to wait (Slack's Retry-After, Discord's retry_after). */
  readonly retryAfterSeconds: number | undefined;
  /** True when sending again cannot help (unknown channel, no access). */
  readonly permanent: boolean;

  constructor(reason: string, options: { retryAfterSeconds?: number | undefined; permanent?: boolean } = {}) {
    super(reason);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.permanent = options.permanent ?? false;
  }
}

/** The running adapters' senders, one per platform (adapters register on start, unregister on stop). */
export class SenderRegistry {
  private readonly senders = new Map<Platform, OutboxSender>();

  /** Registers `sender`; the returned function unregisters it. */
  register(sender: OutboxSender): () => void {
    this.senders.set(sender.platform, sender);
    return () => {
      if (this.senders.get(sender.platform) === sender) this.senders.delete(sender.platform);
    };
  }

  get(platform: string): OutboxSender | undefined {
    return this.senders.get(platform as Platform);
  }

  /** The platforms that can deliver now. */
  platforms(): Platform[] {
    return [...this.senders.keys()];
  }
}

/** True when `text` contains `marker` as a whole token ("A-17" is not found in "A-170"). */
export function hasMarker(text: string, marker: string): boolean {
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_-])${escaped}($|[^\\p{L}\\p{N}_-])`, 'u').test(text);
}
