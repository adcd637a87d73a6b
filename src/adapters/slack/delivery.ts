/**
 * Sends rendered answers to Slack and survives Slack's errors: calls to one channel go out in order
 * through a queue that waits out Slack's `Retry-After`, so a rate limit delays an answer instead of
 * dropping it; any other failure is logged with Slack's error code (and counted) and, when someone
 * is waiting, answered with a short localized notice.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { Lang } from '../../core/languages.js';
import type { Attachment } from '../../core/reply.js';
import type { I18nService } from '../../i18n/i18n.js';
import { DeliveryQueue } from '../../limits/delivery-queue.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../server/metrics.js';
import { renderNotice, type SlackMessage } from './block-kit.js';
import { CHANNEL_ERRORS, slackErrorCode, slackRetryAfter } from './errors.js';

type WebClient = webApi.WebClient;
type Outgoing = Pick<SlackMessage, 'text'> & Partial<Pick<SlackMessage, 'blocks'>>;

/**
 * The message as it goes out: its blocks as the JSON text the form-encoded Web API takes. The
 * client would make the same text from the array (the request is byte for byte the same), after
 * walking the array twice more to build debug lines it then drops: a third of its CPU per call
 * (`bench/slack-client.ts`). The client's types know only the array, hence the cast.
 */
export function onTheWire(m: Outgoing): Outgoing {
  if (!m.blocks) return m;
  return { text: m.text, blocks: JSON.stringify(m.blocks) as unknown as SlackMessage['blocks'] };
}

/** Where an answer goes, and who is waiting for it. */
export interface Target {
  channel: string;
  user: string;
  threadTs?: string;
  /** The interaction's response_url, when Slack gave one (slash commands, button clicks). */
  respond?: RespondFn;
}

/**
 * The queue an answer waits in: its conversation, i.e. the thread when it goes into one (answers in
 * one thread, or in one channel outside threads, keep their order; answers in different threads of
 * a busy channel do not wait for each other's round trip to Slack). Slack limits posting per
 * channel, so a rate limit still holds back the whole channel (the queue's group).
 */
export function conversationKey(target: Pick<Target, 'channel' | 'threadTs'>): string {
  return target.threadTs ? `${target.channel}/${target.threadTs}` : target.channel;
}

/** Codes after which sending the same blocks again cannot work, but plain text might. */
const BLOCK_ERRORS: ReadonlySet<string> = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
]);

export interface DeliveryOptions {
  metrics?: Pick<Metrics, 'apiError'>;
  /** Longest an answer may wait out Slack's rate limits before it counts as failed (default one minute). */
  maxWaitMs?: number;
}

export class Delivery {
  private readonly queue: DeliveryQueue;

  constructor(
    private readonly logger: Logger,
    private readonly i18n: I18nService,
    private readonly options: DeliveryOptions = {},
  ) {
    this.queue = new DeliveryQueue({
      retryAfter: slackRetryAfter,
      logger: logger.child({ component: 'slack' }),
      ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    });
  }

  /** Stops waiting out rate limits (shutdown): held-back answers fail at once. */
  close(): void {
    this.queue.close();
  }

  /** Posts a message everyone in the conversation sees (in the thread, when there is one). */
  async visible(
    client: WebClient,
    target: Target,
    message: SlackMessage,
    lang: Lang,
    attachment?: Attachment,
  ): Promise<boolean> {
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    try {
      await this.withPlainFallback(message, (m) =>
        this.queue.run(
          conversationKey(target),
          () =>
            client.chat.postMessage({
              channel: target.channel,
              ...onTheWire(m),
              ...thread,
              unfurl_links: false,
            }),
          target.channel,
        ),
      );
    } catch (err) {
      await this.failed(client, target, err, 'chat.postMessage', lang);
      return false;
    }
    if (attachment) await this.upload(client, target, attachment);
    return true;
  }

  /** Posts a message only the user sees; falls back to the response_url where the bot cannot post. */
  async ephemeral(client: WebClient, target: Target, message: SlackMessage, lang: Lang): Promise<boolean> {
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    try {
      await this.withPlainFallback(message, (m) =>
        this.queue.run(
          conversationKey(target),
          () =>
            client.chat.postEphemeral({
              channel: target.channel,
              user: target.user,
              ...onTheWire(m),
              ...thread,
            }),
          target.channel,
        ),
      );
      return true;
    } catch (err) {
      const code = slackErrorCode(err);
      if (target.respond && CHANNEL_ERRORS.has(code)) {
        this.logger.info({ code, channel: target.channel }, 'slack: answering through the response_url');
        try {
          const respond = target.respond;
          await this.queue.run(
            conversationKey(target),
            () => respond({ response_type: 'ephemeral', replace_original: false, ...message }),
            target.channel,
          );
          return true;
        } catch (respondErr) {
          await this.failed(client, target, respondErr, 'response_url', lang);
          return false;
        }
      }
      await this.failed(client, target, err, 'chat.postEphemeral', lang);
      return false;
    }
  }

  /** Logs a failure with its code and tells the waiting user, best effort. */
  async failed(client: WebClient, target: Target, err: unknown, method: string, lang: Lang): Promise<void> {
    const code = slackErrorCode(err);
    this.options.metrics?.apiError('slack', code);
    this.logger.error({ code, method, channel: target.channel }, 'slack: could not deliver an answer');
    const key =
      code === 'ratelimited'
        ? 'errors.rateLimited'
        : CHANNEL_ERRORS.has(code)
          ? 'errors.notInChannel'
          : 'errors.failed';
    const notice = renderNotice(this.i18n.t(lang, 'slack')(key));
    try {
      if (target.respond) {
        await target.respond({ response_type: 'ephemeral', replace_original: false, ...notice });
      } else if (method !== 'chat.postEphemeral') {
        await client.chat.postEphemeral({ channel: target.channel, user: target.user, ...notice });
      }
    } catch (noticeErr) {
      this.logger.warn({ code: slackErrorCode(noticeErr) }, 'slack: could not tell the user either');
    }
  }

  private async withPlainFallback<T>(message: SlackMessage, send: (m: Outgoing) => Promise<T>): Promise<T> {
    try {
      return await send(message);
    } catch (err) {
      const code = slackErrorCode(err);
      if (!BLOCK_ERRORS.has(code)) throw err;
      this.logger.warn({ code }, 'slack: blocks refused, sending plain text');
      return await send({ text: message.text.slice(0, 3900) });
    }
  }

  /** Shares a reply's file (an iCalendar file) in the same conversation; a failure is only logged. */
  private async upload(client: WebClient, target: Target, attachment: Attachment): Promise<void> {
    try {
      const file = { filename: attachment.filename, title: attachment.filename, content: attachment.content };
      const args = target.threadTs
        ? { ...file, channel_id: target.channel, thread_ts: target.threadTs }
        : { ...file, channel_id: target.channel };
      await this.queue.run(conversationKey(target), () => client.files.uploadV2(args), target.channel);
    } catch (err) {
      this.logger.warn(
        { code: slackErrorCode(err), method: 'files.uploadV2', channel: target.channel },
        'slack: could not attach the file',
      );
    }
  }
}
