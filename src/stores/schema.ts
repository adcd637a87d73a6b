/** Table shapes as Kysely sees them. Times are ISO-8601 text (UTC), booleans 0/1, lists JSON text. */
import type { Generated } from 'kysely';

export interface UserPrefsTable {
  user_key: string;
  lang: string | null;
  detected_lang: string | null;
  course: string | null;
  updated_at: string;
}

export interface UnansweredTable {
  id: Generated<number>;
  at: string;
  platform: string;
  /** A salted hash of "platform:userId", never the id itself. */
  user_hash: string;
  lang: string;
  /** The question with e-mails, phone numbers and long digit runs redacted. */
  text: string;
  confidence: number;
  /** JSON array of entry ids. */
  suggestions: string;
}

/** Small settings the store keeps about itself (the user-hash salt, one-off imports). */
export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  user_prefs: UserPrefsTable;
  unanswered: UnansweredTable;
  meta: MetaTable;
}
