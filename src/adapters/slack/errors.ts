/** Coded errors of the Slack adapter, and how to read Slack's own error codes. */

// @slack/web-api's ErrorCode values, spelled out so the CLI can load this file without loading Bolt.
const PLATFORM_ERROR = 'slack_webapi_platform_error';
const RATE_LIMITED_ERROR = 'slack_webapi_rate_limited_error';

/** A Slack setting is missing or refused: printed as one line naming the variable, without a stack. */
export class SlackSetupError extends Error {
  readonly code = 'SLACK_SETUP';

  constructor(
    message: string,
    /** The environment variable to fix. */
    readonly variable: string,
  ) {
    super(message);
    this.name = 'SlackSetupError';
  }
}

const RATE_LIMIT_MESSAGE = /A rate limit was exceeded/;

function originalMessage(err: Error): string {
  const original = (err as { original?: unknown }).original;
  return original instanceof Error ? original.message : '';
}

/** The seconds Slack asked to wait when `err` is a rate-limit refusal (`Retry-After`), else undefined. */
export function slackRetryAfter(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const coded = err as Error & { code?: unknown; retryAfter?: unknown };
  if (coded.code === RATE_LIMITED_ERROR && typeof coded.retryAfter === 'number') return coded.retryAfter;
  const header = /retry-after: (\d+)/.exec(`${err.message} ${originalMessage(err)}`);
  return header ? Number(header[1]) : undefined;
}

/**
 * Slack's error code for a failed Web API call ("channel_not_found", "ratelimited", …), or the
 * SDK's own code for transport failures ("slack_webapi_request_error").
 */
export function slackErrorCode(err: unknown): string {
  if (err instanceof Error) {
    const coded = err as Error & { code?: unknown; data?: { error?: unknown } };
    if (coded.code === PLATFORM_ERROR && typeof coded.data?.error === 'string') {
      return coded.data.error;
    }
    if (coded.code === RATE_LIMITED_ERROR) return 'ratelimited';
    // After its own retries run out the client rejects with a request error around "A rate limit was exceeded".
    if (RATE_LIMIT_MESSAGE.test(err.message) || RATE_LIMIT_MESSAGE.test(originalMessage(err)))
      return 'ratelimited';
    if (typeof coded.code === 'string') return coded.code;
  }
  return 'unknown';
}

/** Codes that mean the token itself is wrong, not that Slack is having a bad moment. */
export const AUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'invalid_token',
]);

/** Codes that mean the bot cannot write where it was asked to. */
export const CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'user_not_in_channel',
]);
