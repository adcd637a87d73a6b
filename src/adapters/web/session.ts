/**
 * Anonymous web sessions: a random id in a cookie (HttpOnly, SameSite=Lax, Secure when the page
 * is served over HTTPS), used for the per-session rate limit, the CSRF token and stored language.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'koban_sid';
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;
const MAX_AGE_S = 30 * 24 * 60 * 60;

export interface SessionSettings {
  /** KOBAN_WEB_PUBLIC_URL: an https URL means every cookie is Secure. */
  publicUrl?: string | undefined;
  /** KOBAN_WEB_TRUST_PROXY: believe X-Forwarded-Proto and X-Forwarded-For. */
  trustProxy: boolean;
}

/** True when the browser reached the page over HTTPS (directly, by the public URL, or via a trusted proxy). */
export function isHttps(c: Context, settings: SessionSettings): boolean {
  if (settings.publicUrl?.startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return settings.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** The origin the page is served from: the public URL's, else the request's own. */
export function pageOrigin(c: Context, settings: SessionSettings): string {
  if (settings.publicUrl) return new URL(settings.publicUrl).origin;
  const url = new URL(c.req.url);
  const host = (settings.trustProxy && c.req.header('x-forwarded-host')) || c.req.header('host') || url.host;
  return `${isHttps(c, settings) ? 'https' : url.protocol.replace(':', '')}://${host}`;
}

/** The session id from the cookie; a missing or malformed one is replaced by a new cookie. */
export function session(c: Context, settings: SessionSettings): string {
  const current = getCookie(c, SESSION_COOKIE);
  if (current && SESSION_ID.test(current)) return current;
  const id = randomBytes(24).toString('base64url');
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, settings),
    path: '/',
    maxAge: MAX_AGE_S,
  });
  return id;
}

/** The session id only if the request already carries a valid one (API calls must). */
export function existingSession(c: Context): string | undefined {
  const current = getCookie(c, SESSION_COOKIE);
  return current && SESSION_ID.test(current) ? current : undefined;
}
