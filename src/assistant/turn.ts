import type { Lang } from '../core/languages.js';
import type { IncomingMessage } from '../core/message.js';
import type { Reply } from '../core/reply.js';
import type { Translator } from '../i18n/i18n.js';
import type { UserPrefs } from '../stores/store.js';

/** Everything a handler needs about the current message, resolved once by the router. */
export interface Turn {
  msg: IncomingMessage;
  /** The cleaned text (control and invisible characters removed, trimmed). */
  text: string;
  lang: Lang;
  t: Translator;
  /** "platform:userId", the key for stored state. */
  userKey: string;
  prefs: UserPrefs;
  now: Date;
}

/** One intent: whether it wants this turn, and the reply it gives. */
export interface IntentHandler {
  readonly intent: Reply['intent'];
  match(turn: Turn): boolean | Promise<boolean>;
  /**
   * True when the message is unmistakably this handler's even though it also reads as small talk or
   * help ("good morning! what's on today?"): checked before the help and small-talk handlers.
   */
  claims?(turn: Turn): boolean | Promise<boolean>;
  handle(turn: Turn): Reply | Promise<Reply>;
}
