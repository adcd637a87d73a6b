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
}

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
): Promise<boolean> {
  if (eventId === undefined || !deps.store) return true;
  try {
    return await deps.store.events.claim(platform, eventId, now);
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
  if (!(await firstTime(deps, msg.platform, options.eventId, msg.now ?? new Date()))) {
    deps.metrics.duplicate(msg.platform);
    return undefined;
  }
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
