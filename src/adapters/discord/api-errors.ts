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
