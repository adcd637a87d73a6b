/**
 * A neutral `Reply` as JSON for the web page: text as plain text (the page sets it with
 * `textContent`), suggestions and buttons as actions or links, schedule sessions as table rows,
 * an attachment as a file to download. Nothing here is HTML.
 */

import type { Lang } from '../../core/languages.js';
import type { UserAction } from '../../core/message.js';
import { markdownToPlain } from '../../core/plain-text.js';
import { type Reply, suggestionsLabelKey } from '../../core/reply.js';
import type { Translator } from '../../i18n/i18n.js';

/** A button on the page: sends `action` back, or opens `href` (the visit form). */
export type WebButton = { label: string; action: UserAction } | { label: string; href: string };

export interface WebSessionRow {
  when: string;
  title: string;
  place: string;
}

export interface WebReply {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  title?: string;
  text: string;
  notes: string[];
  suggestionsLabel?: string;
  suggestions: WebButton[];
  buttons: WebButton[];
  table?: { caption: string; headers: [string, string, string]; rows: WebSessionRow[] };
  download?: { label: string; filename: string; contentType: string; content: string };
}

export interface RenderContext {
  /** The `web` translator in the reply's language. */
  t: Translator;
  /** The common translator in the reply's language. */
  common: Translator;
  /** Where the visit form lives, e.g. `/visit?lang=id`. */
  visitHref: (lang: Lang) => string;
  /** The time zone schedule times are shown in. */
  timeZone: string;
}

function when(start: string, end: string, lang: Lang, timeZone: string): string {
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone });
  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone });
  const s = new Date(start);
  const e = new Date(end);
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${start} – ${end}`;
  return `${day.format(s)} ${time.format(s)}–${time.format(e)}`;
}

function button(b: Reply['buttons'][number], ctx: RenderContext, lang: Lang): WebButton {
  return b.action.type === 'visit'
    ? { label: b.label, href: ctx.visitHref(lang) }
    : { label: b.label, action: b.action };
}

export function renderReply(reply: Reply, ctx: RenderContext): WebReply {
  const { t } = ctx;
  const out: WebReply = {
    lang: reply.lang,
    dir: reply.dir,
    ...(reply.title ? { title: reply.title } : {}),
    text: markdownToPlain(reply.text),
    notes: [...reply.notes],
    suggestions: reply.suggestions.map((s) => ({
      label: s.title,
      action: { type: 'faq', entryId: s.entryId },
    })),
    buttons: reply.buttons.map((b) => button(b, ctx, reply.lang)),
  };
  if (reply.suggestions.length > 0) out.suggestionsLabel = ctx.common(suggestionsLabelKey(reply));
  if (reply.sessions && reply.sessions.length > 0) {
    out.table = {
      caption: t('schedule.caption'),
      headers: [t('schedule.when'), t('schedule.session'), t('schedule.place')],
      rows: reply.sessions.map((s) => ({
        when: when(s.start, s.end, reply.lang, ctx.timeZone),
        title: s.title,
        place: s.location ?? '',
      })),
    };
  }
  if (reply.attachment) {
    out.download = {
      label: t('schedule.download'),
      filename: reply.attachment.filename,
      contentType: reply.attachment.contentType,
      content: reply.attachment.content,
    };
  }
  return out;
}
