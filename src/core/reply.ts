import { type Lang, RTL_LANGS } from './languages.js';
import type { UserAction } from './message.js';

export type IntentName =
  | 'faq'
  | 'help'
  | 'smalltalk'
  | 'language'
  | 'fallback'
  | 'schedule'
  | 'visit'
  | 'visit-status'
  | 'announce'
  | 'reminder'
  | 'course'
  /** A follow-up that could not be answered ("tell me more" with nothing more); answered ones take the answer's intent. */
  | 'follow-up'
  /** The thanks for a "helpful? yes/no" vote. */
  | 'feedback'
  /** A hand-off to a person: opened, forwarded to the coordinators' thread, or closed. */
  | 'handoff';

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

/**
 * An attachment whose content is built the first time it is read (an adapter rendering it), then
 * kept: most replies are read for their text only. `content` is an ordinary enumerable property to
 * every reader (spread, JSON).
 */
export function lazyAttachment(filename: string, contentType: string, produce: () => string): Attachment {
  let content: string | undefined;
  const attachment = { filename, contentType } as Attachment;
  Object.defineProperty(attachment, 'content', {
    enumerable: true,
    get: () => {
      content ??= produce();
      return content;
    },
  });
  return attachment;
}

/** One field of a form, as any adapter shows it (modal input, console question, HTML input). */
export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'email' | 'number' | 'dates' | 'choices' | 'yesno' | 'long';
  required: boolean;
  /** What the user entered so far, as text. */
  value?: string;
  /** The problem with `value`, in the user's language. */
  error?: string;
  choices?: Array<{ value: string; label: string }>;
  hint?: string;
}

/** A form step: the whole form with values kept and errors shown; `current` is the field asked now. */
export interface ReplyForm {
  id: 'visit' | 'visit-decision' | 'announce';
  title: string;
  fields: FormField[];
  current?: string;
  submitLabel: string;
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
  /** A form to fill in (visit requests). Text-only platforms ask `text`, one field at a time. */
  form?: ReplyForm;
  /** Text a person wrote that `text` quotes (a coordinator's answer): renderers escape it, never convert it. */
  quoted?: string;
  /** Nothing to show: the adapter posts nothing (a message relayed to a hand-off thread). */
  silent?: boolean;
}

/** The i18n key (namespace common) that introduces a reply's suggestions: related answers, or "did you mean". */
export function suggestionsLabelKey(reply: Reply): string {
  return reply.intent === 'faq' ? 'faq.related' : 'suggestions.label';
}

/** A reply with the defaults filled in (direction from the language, empty lists). */
export function makeReply(fields: Partial<Reply> & Pick<Reply, 'intent' | 'lang' | 'text'>): Reply {
  return {
    notes: [],
    suggestions: [],
    buttons: [],
    ...fields,
    dir: RTL_LANGS.has(fields.lang) ? 'rtl' : 'ltr',
  };
}
