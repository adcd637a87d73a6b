import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slackErrorCode, slackRetryAfter } from '../../src/adapters/slack/errors.js';

describe("Slack's error codes", () => {
  it('reads a rate limit as "ratelimited", also when the client wraps it in a request error', () => {
    const rejected = Object.assign(new Error('A rate limit was exceeded'), {
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(slackErrorCode(rejected)).toBe('ratelimited');
    expect(slackRetryAfter(rejected)).toBe(7);

    const inner = new Error(
      'A rate limit was exceeded (url: https://slack.com/api/chat.postMessage, retry-after: 3)',
    );
    const wrapped = Object.assign(new Error(`A request error occurred: ${inner.message}`), {
      code: webApi.ErrorCode.RequestError,
      original: inner,
    });
    expect(slackErrorCode(wrapped)).toBe('ratelimited');
    expect(slackRetryAfter(wrapped)).toBe(3);
  });

  it('keeps other codes as they are, with no retry', () => {
    const platform = Object.assign(new Error('An API error occurred: channel_not_found'), {
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(slackErrorCode(platform)).toBe('channel_not_found');
    expect(slackRetryAfter(platform)).toBeUndefined();
    const network = Object.assign(new Error('A request error occurred: ECONNRESET'), {
      code: webApi.ErrorCode.RequestError,
      original: new Error('ECONNRESET'),
    });
    expect(slackErrorCode(network)).toBe('slack_webapi_request_error');
  });
});
