import type { Lang } from './languages.js';

export type Platform = 'console' | 'cli' | 'slack' | 'discord' | 'web';

/** A structured action a user triggered (a button or menu), instead of typed text. */
export type UserAction =
  | { type: 'faq'; entryId: string }
  | { type: 'language'; lang: Lang }
  | { type: 'course'; courseId: string }
  /** "Request a visit": opens the visit form (a modal on Slack and Discord, questions elsewhere). */
  | { type: 'visit' }
  /** A coordinator's Approve / Decline / Ask for details under a posted visit request. */
  | { type: 'visit-decide'; ref: string; kind: 'approve' | 'decline' | 'needs-info' }
  /** "Helpful? yes / no" under an FAQ answer (console: typing good or bad). */
  | { type: 'feedback'; entryId: string; helpful: boolean }
  /** "OK, got it" under an announcement. */
  | { type: 'announce-confirm'; ref: string }
  /** A menu button that sends a short text as if the user had typed it ("language"). */
  | { type: 'say'; text: string };

/** One message from a user, the same whatever platform it came from. */
export interface IncomingMessage {
  platform: Platform;
  /** Platform-scoped user id; the assistant prefixes it with the platform when it stores state. */
  userId: string;
  channelId?: string;
  /** What the user typed (may be empty when `action` is set). */
  text: string;
  /** A locale the platform reports for the user (Slack `users.info`, Discord `interaction.locale`). */
  localeHint?: string;
  /**
   * Where the platform's locale can be asked for, when it is not in `localeHint` (Slack: a
   * `users.info` call): the assistant asks only when the reply's language comes down to it (an
   * unclear message from a user with no stored language), so most messages wait for no look-up.
   */
  localeLookup?: () => Promise<string | undefined>;
  /** A language the caller forces for this one message (`koban ask --lang`). */
  lang?: Lang;
  /** True for a direct message or a slash command, false in a shared channel. */
  direct: boolean;
  action?: UserAction;
  /** A reply inside a thread of a coordinator channel: the channel and the id of the thread's first post. */
  thread?: { channelId: string; threadId: string };
  /**
   * The user's Slack user-group ids or Discord role ids, when the adapter looked them up (replies in
   * a coordinator channel's thread): the assistant decides from them who is a coordinator.
   */
  groups?: readonly string[];
  /** The clock for this turn; the assistant uses the real clock when absent. */
  now?: Date;
}
