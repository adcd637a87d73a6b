import type { Kysely } from 'kysely';
import type { Lang } from '../core/languages.js';
import type { AnnouncementDmRepo } from './announcement-dms.js';
import type { AnnouncementRepo } from './announcements.js';
import type { AuditRepo } from './audit.js';
import type { ContextRepo } from './context.js';
import type { DialectName } from './db.js';
import type { FeedbackRepo } from './feedback.js';
import type { HandoffRepo } from './handoffs.js';
import type { ProcessedEventsRepo } from './processed-events.js';
import type { PersonalReminderRepo } from './reminders.js';
import type { Database } from './schema.js';
import type { StoredQuestion, UnansweredQuestion } from './unanswered.js';
import type { VisitRepo } from './visits.js';
import type { WebTokenRepo } from './web-tokens.js';

/** What the assistant remembers about one user (key: "platform:userId"). */
export interface UserPrefs {
  /** The language the user chose ("language ja"); answers use it for short or unclear messages. */
  lang?: Lang;
  /** The language of the user's last clearly detected message. */
  detectedLang?: Lang;
  /** The course the user said they attend. */
  course?: string;
}

/** Questions the bot could not answer (stored redacted, user id hashed). */
export interface UnansweredStore {
  record(q: UnansweredQuestion): Promise<void>;
  list(filter?: { lang?: Lang | undefined }): Promise<StoredQuestion[]>;
  /** Deletes questions asked before `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** State the assistant keeps between messages and restarts. Every method is async (SQLite or PostgreSQL). */
export interface Store {
  /** Where the data lives, for operator messages. */
  readonly location: string;
  getUser(key: string): Promise<UserPrefs>;
  updateUser(key: string, patch: Partial<UserPrefs>): Promise<void>;
  readonly unanswered: UnansweredStore;
  /** Visit requests, their history and half-filled forms. */
  readonly visits: VisitRepo;
  readonly audit: AuditRepo;
  /** The web chat's private visit status links. */
  readonly webTokens: WebTokenRepo;
  /** Platform events already taken by an instance (each is handled once across instances). */
  readonly events: ProcessedEventsRepo;
  /** The last answer and turns per user, for follow-ups and hand-offs (expires after 30 minutes). */
  readonly context: ContextRepo;
  /** "Helpful? yes/no" votes under FAQ answers. */
  readonly feedback: FeedbackRepo;
  /** Announcements and their confirmations. */
  readonly announcements: AnnouncementRepo;
  /** The database itself, for engines that own their SQL in one file (the outbox). */
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Trainees' own reminders ("remind me 30 minutes before …"). */
  readonly reminders: PersonalReminderRepo;
  /** Hand-offs to a person (coordinator threads). */
  readonly handoffs: HandoffRepo;
  /** Who gets announcements by DM, in which language. */
  readonly announcementDms: AnnouncementDmRepo;
  close(): Promise<void>;
}
