/**
 * The edge between adapters and the assistant: every platform message passes the rate limits
 * here, and is counted and timed for the metrics, before the assistant answers it.
 */
import type { Assistant } from '../assistant/assistant.js';
import type { IncomingMessage } from '../core/message.js';
import type { Reply } from '../core/reply.js';
import type { Metrics } from '../server/metrics.js';
import type { MessageLimits } from './message-limits.js';

export interface IntakeDeps {
  assistant: Pick<Assistant, 'handle' | 'notice'>;
  limits: MessageLimits;
  metrics: Metrics;
}

export interface AnswerOptions {
  /** The platform needs an answer to every message (a Discord interaction): repeat the notice instead of silence. */
  mustReply?: boolean;
}

/** The reply for `msg`, a one-time "please slow down" notice, or undefined when the bot stays silent. */
export async function answer(
  deps: IntakeDeps,
  msg: IncomingMessage,
  options: AnswerOptions = {},
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
