/**
 * CSRF protection (synchronizer token bound to the session): the token is an HMAC of the session
 * id under a secret of this process, sent in a hidden field of every form and in the
 * `x-csrf-token` header of every API call. API calls must also come from the page's own origin.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export class Csrf {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  token(sessionId: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${sessionId}`).digest('base64url');
  }

  /** True when `token` was made for `sessionId`; constant time. */
  verify(sessionId: string | undefined, token: unknown): boolean {
    if (!sessionId || typeof token !== 'string') return false;
    const want = Buffer.from(this.token(sessionId));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}

/**
 * The browser's word on where a request came from: `Origin` when sent, else `Sec-Fetch-Site`.
 * False for another site; true for this origin and for clients that send neither (the token still
 * has to match).
 */
export function sameOrigin(c: Context, origin: string): boolean {
  const sent = c.req.header('origin');
  if (sent !== undefined) return sent === origin;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}
