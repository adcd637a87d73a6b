import type { Lang } from '../core/languages.js';

/** What the assistant remembers about one user (key: "platform:userId"). */
export interface UserPrefs {
  /** The language the user chose ("language ja"); answers use it for short or unclear messages. */
  lang?: Lang;
  /** The language of the user's last clearly detected message. */
  detectedLang?: Lang;
  /** The course the user said they attend. */
  course?: string;
}

/** State the assistant keeps between messages and restarts. */
export interface Store {
  getUser(key: string): UserPrefs;
  updateUser(key: string, patch: Partial<UserPrefs>): void;
  close(): void;
}
