/**
 * The web chat's private status links: an unguessable token per visit request, kept only as its
 * SHA-256 hash, so a copy of the database does not open anyone's status page.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** 32 random bytes, base64url (43 characters). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new unguessable token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The web requester's user id for a token: part of its hash, so the token holder is the requester. */
export function requesterId(token: string): string {
  return hashToken(token).slice(0, 32);
}

export class WebTokenRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Links `token` (stored hashed) to the request `ref`. */
  async save(token: string, ref: string, now: Date): Promise<void> {
    await this.db
      .insertInto('web_visit_tokens')
      .values({ token_hash: hashToken(token), ref, created_at: now.toISOString() })
      .execute();
  }

  /** The reference a token opens, or undefined for a malformed or unknown token. */
  async find(token: string): Promise<string | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const row = await this.db
      .selectFrom('web_visit_tokens')
      .select('ref')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    return row?.ref;
  }
}
