/** Recognising Discord failures, and what operators see of them in the logs. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';

/** True for discord.js's "TokenInvalid" and for a 401 from the REST API. */
export function isTokenRejection(err: unknown): boolean {
  if (err instanceof DiscordAPIError || err instanceof HTTPError) return err.status === 401;
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'TokenInvalid';
}

/** True when the gateway closed with 4014 (a privileged intent not enabled in the Developer Portal). */
export function isDisallowedIntents(err: unknown): boolean {
  return err instanceof Error && /disallowed intents/i.test(err.message);
}

/** The fields of a Discord failure worth a log line (code, status, route), never a token. */
export function describeDiscordError(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError) {
    return {
      code: err.code,
      status: err.status,
      method: err.method,
      url: redactUrl(err.url),
      message: err.message,
    };
  }
  if (err instanceof RateLimitError) {
    return {
      status: 429,
      method: err.method,
      url: redactUrl(err.url),
      retryAfter: err.retryAfter,
      global: err.global,
    };
  }
  if (err instanceof HTTPError) return { status: err.status, method: err.method, url: redactUrl(err.url) };
  if (err instanceof Error)
    return { name: err.name, message: err.message, code: (err as { code?: unknown }).code };
  return { error: String(err) };
}

/** Interaction and webhook tokens travel in the path; they stay out of the logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/(interactions|webhooks)\/(\d+)\/[^/?]+/g, '/$1/$2/:token');
}

const TRANSIENT_CODES = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * True for a connection lost before Discord's answer arrived ("other side closed"): the request may
 * or may not have taken effect, so only a request made safe by a nonce may be sent again.
 */
export function isTransientNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (/other side closed|socket hang up/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Runs `send` again after a lost connection (up to `delaysMs.length` more times). Only for requests
 * Discord deduplicates (a message with `enforce_nonce`): a retry of one that went through returns
 * the message already posted.
 */
export async function withNonceRetry<T>(
  send: () => Promise<T>,
  delaysMs: readonly number[] = [250, 1000],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const delay = delaysMs[attempt];
      if (delay === undefined || !isTransientNetworkError(err)) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
