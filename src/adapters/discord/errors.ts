/** Coded errors of the Discord adapter, and what operators see of Discord API failures. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';

export type DiscordStartErrorCode =
  | 'DISCORD_TOKEN_MISSING'
  | 'DISCORD_TOKEN_INVALID'
  | 'DISCORD_APPLICATION_ID_MISSING'
  | 'DISCORD_INTENTS_DISALLOWED';

/** A problem the operator must fix before the Discord adapter can start; the message names the setting. */
export class DiscordStartError extends Error {
  constructor(
    readonly code: DiscordStartErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DiscordStartError';
  }
}

export const missingToken = (): DiscordStartError =>
  new DiscordStartError(
    'DISCORD_TOKEN_MISSING',
    'DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (Bot → Reset Token) into .env (see docs/discord.md)',
  );

export const invalidToken = (): DiscordStartError =>
  new DiscordStartError(
    'DISCORD_TOKEN_INVALID',
    'DISCORD_TOKEN was rejected by Discord (401 Unauthorized): reset the bot token in the Developer Portal (Bot → Reset Token) and update .env (see docs/discord.md)',
  );

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
