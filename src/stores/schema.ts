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

export interface VisitRequestsTable {
  id: Generated<number>;
  /** V-2027-0042 */
  ref: string;
  year: number;
  seq: number;
  status: string;
  /** "platform:userId" of whoever submitted it, to tell them of decisions. */
  requester: string;
  requester_lang: string;
  organization: string;
  country: string;
  contact_name: string;
  contact_email: string;
  group_size: number;
  /** JSON array of YYYY-MM-DD. */
  preferred_dates: string;
  /** JSON array of interests. */
  interests: string;
  language: string;
  interpreter: number;
  needs: string | null;
  notes: string | null;
  /** Set on approval. */
  visit_date: string | null;
  meeting_point: string | null;
  created_at: string;
  updated_at: string;
}

export interface VisitStatusHistoryTable {
  id: Generated<number>;
  request_id: number;
  status: string;
  actor: string;
  note: string | null;
  at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  /** A request reference or other id; never contact details. */
  target: string | null;
  outcome: string;
  detail: string | null;
}

/** A half-filled visit form, kept so it survives a restart. */
export interface VisitDraftsTable {
  user_key: string;
  /** JSON of the values entered so far. */
  data: string;
  step: number;
  updated_at: string;
}

/** A trainee's own reminder before one session, sent by direct message. */
export interface PersonalRemindersTable {
  id: Generated<number>;
  /** "platform:userId" of the trainee. */
  user_key: string;
  course_id: string;
  session_id: string;
  offset_minutes: number;
  /** The language to write the reminder in. */
  lang: string;
  created_at: string;
}

export interface Database {
  user_prefs: UserPrefsTable;
  unanswered: UnansweredTable;
  meta: MetaTable;
  visit_requests: VisitRequestsTable;
  visit_status_history: VisitStatusHistoryTable;
  audit_log: AuditLogTable;
  visit_drafts: VisitDraftsTable;
  personal_reminders: PersonalRemindersTable;
}
