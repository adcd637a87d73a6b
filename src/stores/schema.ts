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

/** A web visit request's private status link (`src/adapters/web`). */
export interface WebVisitTokensTable {
  /** SHA-256 (hex) of the link's token; the token itself is only in the link. */
  token_hash: string;
  ref: string;
  created_at: string;
}

/** A platform event (Slack event id, Discord message or interaction id) one instance took to handle. */
export interface ProcessedEventsTable {
  platform: string;
  event_id: string;
  handled_at: string;
  /** Which instance took it (host:pid), for the operator. */
  instance: string;
  /** When its instance finished with it (answered or gave up); null while in hand (Discord messages). */
  finished_at: string | null;
  /** The conversation it came from (Discord messages): DM channels the catch-up reads. */
  channel_id: string | null;
}

/** The last answer and turns of one user's conversation (follow-ups, hand-off); JSON, expires. */
export interface ConversationContextTable {
  user_key: string;
  data: string;
  updated_at: string;
}

/** A "helpful? yes/no" vote under an FAQ answer; the question redacted as in `unanswered`. */
export interface FeedbackTable {
  id: Generated<number>;
  at: string;
  platform: string;
  entry_id: string;
  lang: string;
  question: string;
  /** 1 helpful, 0 not. */
  helpful: number;
}

/** One announcement a coordinator posted (`A-17`); its copies are rows of `outbox`. */
export interface AnnouncementsTable {
  id: Generated<number>;
  /** "A-<id>", set right after the insert. */
  ref: string | null;
  /** "platform:userId" of the coordinator. */
  created_by: string;
  /** JSON of the audience as given. */
  audience: string;
  /** JSON of the content: versions per language, the original's language. */
  content: string;
  due_at: string;
  /** scheduled | sent | cancelled | withdrawn */
  status: string;
  created_at: string;
  updated_at: string;
}

/** One message to one target (a channel or a user's DM), delivered by the outbox worker. */
export interface OutboxTable {
  id: Generated<number>;
  /** announcement | reminder | notice */
  kind: string;
  /** What the row belongs to (A-17, a reminder id); also the marker looked for in the channel history. */
  ref_id: string;
  platform: string;
  /** "slack:C0123" or "slack:dm:U0123". */
  target: string;
  /** JSON array of the reader languages, first first. */
  lang: string;
  due_at: string;
  /** JSON of the message versions (see OutboxPayload in the outbox). */
  payload: string;
  /** pending | sent | failed | cancelled */
  state: string;
  /** 1 when a sent message must be edited to the current payload (correction, withdrawal). */
  dirty: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** Who claimed the row and until when; an expired lease makes it claimable again. */
  claim_token: string | null;
  lease_until: string | null;
  /** The conversation the message went to (a DM's channel id for users). */
  channel_id: string | null;
  /** The platform's message id (Slack ts, Discord snowflake). */
  message_id: string | null;
  /** The platform's reason for the last failure. */
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** "OK, got it" clicks: one per person and announcement. */
export interface ConfirmationsTable {
  id: Generated<number>;
  ref_id: string;
  target: string;
  user_key: string;
  at: string;
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

/** A hand-off to a person: the coordinator post that starts its thread, and the user it relays to. */
export interface HandoffsTable {
  id: Generated<number>;
  /** "platform:userId" of the user. */
  user_key: string;
  platform: string;
  user_id: string;
  /** The user's conversation (a DM's channel id) when known. */
  conversation_id: string | null;
  /** The coordinator channel and the id of the post whose thread carries the hand-off. */
  channel_id: string;
  thread_id: string;
  lang: string;
  /** open | closed */
  state: string;
  created_at: string;
  closed_at: string | null;
  /** When the user was last told "sent to the coordinator". */
  acked_at: string | null;
}

export interface Database {
  user_prefs: UserPrefsTable;
  unanswered: UnansweredTable;
  meta: MetaTable;
  visit_requests: VisitRequestsTable;
  visit_status_history: VisitStatusHistoryTable;
  audit_log: AuditLogTable;
  visit_drafts: VisitDraftsTable;
  web_visit_tokens: WebVisitTokensTable;
  processed_events: ProcessedEventsTable;
  conversation_context: ConversationContextTable;
  feedback: FeedbackTable;
  announcements: AnnouncementsTable;
  outbox: OutboxTable;
  confirmations: ConfirmationsTable;
  personal_reminders: PersonalRemindersTable;
  handoffs: HandoffsTable;
  announcement_dms: AnnouncementDmsTable;
  announce_drafts: AnnounceDraftsTable;
}

/** Users who asked for announcements by DM ("send me announcements by DM"), in their language. */
export interface AnnouncementDmsTable {
  /** "platform:userId". */
  user_key: string;
  lang: string;
  created_at: string;
}

/** An announcement previewed in the form, waiting for its coordinator's Confirm (expires). */
export interface AnnounceDraftsTable {
  /** Random id carried by the Confirm and Cancel buttons. */
  draft_id: string;
  /** "platform:userId" of the coordinator who previewed it. */
  created_by: string;
  /** JSON text of the input the service validated (validated again on Confirm). */
  input: string;
  expires_at: string;
}
