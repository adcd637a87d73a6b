/**
 * The edge between adapters and the assistant: every platform message is taken once across
 * instances (its platform event id recorded in the store), passes the rate limits, and is counted
 * and timed for the metrics, before the assistant answers it.
 */
import type { Assistant } from '../assistant/assistant.js';
import type { IncomingMessage } from '../core/message.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../server/metrics.js';
import type { Store } from '../stores/store.js';
import type { MessageLimits } from './message-limits.js';

export interface IntakeDeps {
  assistant: Pick<Assistant, 'handle' | 'notice'>;
  limits: MessageLimits;
  metrics: Metrics;
  /** Where handled events are recorded; without it every event counts as new (one process, tests). */
  store?: Pick<Store, 'events'>;
  logger?: Pick<Logger, 'warn'>;
}

export interface AnswerOptions {
  /** The platform needs an answer to every message (a Discord interaction): repeat the notice instead of silence. */
  mustReply?: boolean;
  /** The platform's id of the event (Slack event_id, Discord message id): answered once across instances. */
  eventId?: string | undefined;
  /** Where the event was written, recorded with it (the Discord catch-up reads these DM channels). */
  channelId?: string | undefined;
  /**
   * Also take an event another instance took before this moment and never finished (it died with
   * it): the Discord catch-up after a gateway takeover.
   */
  retakeBefore?: Date | undefined;
}

type TakeOptions = Pick<AnswerOptions, 'channelId' | 'retakeBefore'>;

/**
 * True when this instance may handle the event: it recorded the id first. A retry, a gateway
 * replay or another instance finds it taken. When the database cannot say, the event is handled
 * (an answer twice is better than none).
 */
export async function firstTime(
  deps: Pick<IntakeDeps, 'store' | 'logger'>,
  platform: string,
  eventId: string | undefined,
  now: Date,
  options: TakeOptions = {},
): Promise<boolean> {
  if (eventId === undefined || !deps.store) return true;
  try {
    if (await deps.store.events.claim(platform, eventId, now, options.channelId)) return true;
    if (!options.retakeBefore) return false;
    return await deps.store.events.retake(platform, eventId, options.retakeBefore, now);
  } catch (err) {
    deps.logger?.warn({ err, platform }, 'could not record a handled event; handling it anyway');
    return true;
  }
}

/** The reply for `msg`, a one-time "please slow down" notice, or undefined when the bot stays silent. */
export async function answer(
  deps: IntakeDeps,
  msg: IncomingMessage,
  options: AnswerOptions = {},
): Promise<Reply | undefined> {
  if (!(await firstTime(deps, msg.platform, options.eventId, msg.now ?? new Date(), options))) {
    deps.metrics.duplicate(msg.platform);
    return undefined;
  }
  return admitted(deps, msg, options);
}

/**
 * `answer`, then `deliver` what is to be said; the event is then marked finished (delivered, or
 * given up on after an error), so that only events whose instance died with them are taken over.
 * False when the event was not this instance's to handle.
 */
export async function answerAndDeliver(
  deps: IntakeDeps,
  msg: IncomingMessage,
  options: AnswerOptions,
  deliver: (reply: Reply) => Promise<void>,
): Promise<boolean> {
  const { eventId } = options;
  if (!(await firstTime(deps, msg.platform, eventId, msg.now ?? new Date(), options))) {
    deps.metrics.duplicate(msg.platform);
    return false;
  }
  try {
    const reply = await admitted(deps, msg, options);
    if (reply && !reply.silent) await deliver(reply);
    return true;
  } finally {
    if (eventId !== undefined)
      await deps.store?.events.finish(msg.platform, eventId, msg.now ?? new Date()).catch((err: unknown) => {
        deps.logger?.warn({ err, platform: msg.platform }, 'could not mark a handled event finished');
      });
  }
}

/** The reply to an event this instance took: past the rate limits, to the assistant. */
async function admitted(
  deps: IntakeDeps,
  msg: IncomingMessage,
  options: AnswerOptions,
): Promise<Reply | undefined> {
  const verdict = await deps.limits.admit(msg);
  if (verdict.kind !== 'pass') {
    deps.metrics.rateLimited(msg.platform, verdict.scope);
    if (verdict.kind === 'silent' && !options.mustReply) return undefined;
    const key = verdict.scope === 'user' ? 'limits.tooFast' : 'limits.channelBusy';
    return deps.assistant.notice(msg, key, { seconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) });
  }
  const started = performance.now();
  const reply = await deps.assistant.handle(msg);
  deps.metrics.answered(msg.platform, reply, (performance.now() - started) / 1000);
  return reply;
}
