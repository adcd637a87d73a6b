import type { Lang } from './languages.js';
import type { UserAction } from './message.js';

export type IntentName =
  | 'faq'
  | 'help'
  | 'smalltalk'
  | 'language'
  | 'fallback'
  | 'schedule'
  | 'visit'
  | 'announce'
  | 'course';

/** A "did you mean" suggestion: an FAQ entry the user can pick. */
export interface Suggestion {
  entryId: string;
  title: string;
}

/** A button; clicking it sends `action` back to the assistant. */
export interface ReplyButton {
  label: string;
  action: UserAction;
}

/** A course session a reply is about (schedule answers). Times are ISO-8601 with offset. */
export interface SessionRef {
  courseId: string;
  sessionId: string;
  start: string;
  end: string;
  title: string;
  location?: string;
}

/** A file offered with a reply (e.g. an iCalendar file), for platforms that allow attachments. */
export interface Attachment {
  filename: string;
  contentType: string;
  /** The file's text content. */
  content: string;
}

/** What the assistant answers, before any adapter renders it for a platform. */
export interface Reply {
  intent: IntentName;
  lang: Lang;
  /** Text direction of `lang`, for adapters that can set it. */
  dir: 'ltr' | 'rtl';
  title?: string;
  /** The answer, in light Markdown (bold, lists, links). */
  text: string;
  /** Short context lines shown small, e.g. "answer shown in English: no Thai version yet". */
  notes: string[];
  suggestions: Suggestion[];
  buttons: ReplyButton[];
  entryId?: string;
  /** A finer intent, for small talk: greeting, thanks, bye, about, human, omawari. */
  kind?: string;
  confidence?: number;
  /** Schedule answers: the sessions meant, in chronological order. */
  sessions?: SessionRef[];
  attachment?: Attachment;
}

/** The i18n key (namespace common) that introduces a reply's suggestions: related answers, or "did you mean". */
export function suggestionsLabelKey(reply: Reply): string {
  return reply.intent === 'faq' ? 'faq.related' : 'suggestions.label';
}
