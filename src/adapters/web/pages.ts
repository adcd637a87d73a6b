/**
 * The server-rendered pages: the chat page's shell (the chat itself runs in `web/chat.js`), the
 * visit form, the "request sent" page, the private status page and short notices. All text is
 * escaped by the `html` tag; no inline script or style (the Content-Security-Policy forbids them).
 */
import { AUTONYMS, LANGUAGES, type Lang, RTL_LANGS } from '../../core/languages.js';
import type { FormField, ReplyForm } from '../../core/reply.js';
import type { Translator } from '../../i18n/i18n.js';
import { CSRF_FIELD } from './csrf.js';
import { html, type Safe } from './html.js';

export const dirOf = (lang: Lang): 'ltr' | 'rtl' => (RTL_LANGS.has(lang) ? 'rtl' : 'ltr');

interface Frame {
  lang: Lang;
  title: string;
  csrf?: string;
  script?: boolean;
}

function layout(frame: Frame, body: Safe): string {
  return `<!doctype html>\n${
    html`<html lang="${frame.lang}" dir="${dirOf(frame.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
${frame.csrf ? html`<meta name="csrf-token" content="${frame.csrf}">` : ''}
<title>${frame.title}</title>
<link rel="stylesheet" href="/assets/chat.css">
${frame.script ? html`<script type="module" src="/assets/chat.js"></script>` : ''}
</head>
<body>
${body}
</body>
</html>
`.value
  }`;
}

/** The chat page: language picker, the conversation log, the question box and the visit-form link. */
export function chatPage(t: Translator, lang: Lang, csrf: string): string {
  const options = LANGUAGES.map(
    (l) => html`<option value="${l}" lang="${l}"${l === lang ? html` selected` : ''}>${AUTONYMS[l]}</option>`,
  );
  return layout(
    { lang, title: t('page.title'), csrf, script: true },
    html`<a class="skip" href="#question" data-i18n="page.skip">${t('page.skip')}</a>
<header class="bar">
<h1 data-i18n="page.heading">${t('page.heading')}</h1>
<div class="picker">
<label for="lang" data-i18n="page.language">${t('page.language')}</label>
<select id="lang" name="lang">${options}</select>
</div>
</header>
<main>
<p class="intro" data-i18n="page.intro">${t('page.intro')}</p>
<section id="log" class="log" role="log" aria-live="polite" aria-label="${t('page.log')}" data-i18n-label="page.log"></section>
<form id="ask" class="ask">
<label for="question" data-i18n="page.question">${t('page.question')}</label>
<div class="ask-row">
<textarea id="question" name="text" rows="2" maxlength="2000" dir="auto" required placeholder="${t('page.placeholder')}" data-i18n-placeholder="page.placeholder"></textarea>
<button type="submit" data-i18n="page.send">${t('page.send')}</button>
</div>
</form>
<p id="notice" class="notice" role="status"></p>
<p><a id="visit-link" class="button-link" href="/visit?lang=${lang}" data-i18n="page.visitLink">${t('page.visitLink')}</a></p>
<noscript><p>${t('page.noscript')}</p></noscript>
</main>`,
  );
}

function fieldInput(field: FormField, t: Translator): Safe {
  const id = `f-${field.name}`;
  const describedBy = [field.hint ? `${id}-hint` : '', field.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${field.error ? html` aria-invalid="true"` : ''}${field.required ? html` aria-required="true"` : ''}`;
  const value = field.value ?? '';
  const label = html`${field.label}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}`;
  const hint = field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : '';
  const error = field.error ? html`<p class="error" id="${id}-error">${field.error}</p>` : '';
  if (field.kind === 'choices' || field.kind === 'yesno') {
    const chosen = new Set(value.split(/,\s*/).filter(Boolean));
    const choices =
      field.kind === 'yesno'
        ? [
            { value: 'yes', label: t('yes') },
            { value: 'no', label: t('no') },
          ]
        : (field.choices ?? []);
    const type = field.kind === 'yesno' ? 'radio' : 'checkbox';
    const items = choices.map(
      (c, i) =>
        html`<label class="choice"><input type="${type}" name="${field.name}" value="${c.value}" id="${id}-${i}"${chosen.has(c.label) ? html` checked` : ''}> ${c.label}</label>`,
    );
    return html`<fieldset class="field${field.error ? ' has-error' : ''}"${aria}><legend>${label}</legend>${hint}${error}${items}</fieldset>`;
  }
  const input =
    field.kind === 'long'
      ? html`<textarea id="${id}" name="${field.name}" rows="3" maxlength="1000" dir="auto"${aria}>${value}</textarea>`
      : html`<input id="${id}" name="${field.name}" type="${field.kind === 'email' ? 'email' : 'text'}"${field.kind === 'number' ? html` inputmode="numeric"` : ''} value="${value}" maxlength="500" dir="${field.kind === 'email' || field.kind === 'dates' || field.kind === 'number' ? 'ltr' : 'auto'}"${aria}>`;
  return html`<div class="field${field.error ? ' has-error' : ''}"><label for="${id}">${label}</label>${hint}${error}${input}</div>`;
}

/** The visit form: every field, values kept, each error next to its field and listed on top. */
export function visitFormPage(
  t: Translator,
  vt: Translator,
  lang: Lang,
  form: ReplyForm,
  csrf: string,
): string {
  const errors = form.fields.filter((f) => f.error);
  const summary =
    errors.length > 0
      ? html`<div class="problems" role="alert" tabindex="-1" id="problems" autofocus><p>${t('form.problems')}</p><ul>${errors.map(
          (f) => html`<li><a href="#f-${f.name}">${f.error ?? ''}</a></li>`,
        )}</ul></div>`
      : '';
  return layout(
    { lang, title: form.title, csrf },
    html`<main>
<h1>${form.title}</h1>
<p class="intro">${t('form.intro')}</p>
${summary}
<form method="post" action="/visit" class="visit-form" novalidate>
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<input type="hidden" name="lang" value="${lang}">
${form.fields.map((f) => fieldInput(f, vt))}
<button type="submit">${form.submitLabel}</button>
</form>
<p><a href="/?lang=${lang}">${t('form.back')}</a></p>
</main>`,
  );
}

/** After submitting: the reference and the private status link. */
export function submittedPage(
  t: Translator,
  lang: Lang,
  ref: string,
  statusUrl: string,
  summary: string,
): string {
  return layout(
    { lang, title: t('submitted.heading') },
    html`<main>
<h1>${t('submitted.heading')}</h1>
<p class="done" role="status">${t('submitted.text', { ref })}</p>
<p class="ref">${ref}</p>
<p>${t('submitted.link')}</p>
<p dir="ltr"><a id="status-link" class="status-url" href="${statusUrl}">${statusUrl}</a></p>
<p class="summary">${summary}</p>
<p><a href="/?lang=${lang}">${t('form.back')}</a></p>
</main>`,
  );
}

export interface StatusView {
  ref: string;
  status: string;
  visitDate?: string;
  meetingPoint?: string;
  /** The latest decision notice, in the requester's words. */
  notice?: string;
  messages: Array<{ from: string; status: string; at: string; note: string }>;
  canAnswer: boolean;
  canCancel: boolean;
  hasCalendar: boolean;
  /** A line to show on top (answer sent, cancelled, a refusal). */
  flash?: string;
  /** Problems with the typed answer. */
  answerError?: string;
}

/** The private status page: status, decision, messages, and the answer and cancel forms. */
export function statusPage(t: Translator, lang: Lang, token: string, view: StatusView, csrf: string): string {
  const base = `/visit/status/${token}`;
  const details = html`<dl class="facts">
<dt>${t('status.status')}</dt><dd id="visit-status">${view.status}</dd>
${view.visitDate ? html`<dt>${t('status.date')}</dt><dd>${view.visitDate}</dd>` : ''}
${view.meetingPoint ? html`<dt>${t('status.place')}</dt><dd>${view.meetingPoint}</dd>` : ''}
</dl>`;
  const messages =
    view.messages.length > 0
      ? html`<ol class="messages">${view.messages.map(
          (m) =>
            html`<li><p class="meta">${m.from} · ${m.status} · <time datetime="${m.at}">${m.at.slice(0, 10)}</time></p><p class="note">${m.note}</p></li>`,
        )}</ol>`
      : html`<p>${t('status.none')}</p>`;
  const answer = view.canAnswer
    ? html`<form method="post" action="${base}/answer" class="answer-form" novalidate>
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<div class="field${view.answerError ? ' has-error' : ''}"><label for="answer">${t('status.answer')}</label>
${view.answerError ? html`<p class="error" id="answer-error">${view.answerError}</p>` : ''}
<textarea id="answer" name="answer" rows="3" maxlength="1000" dir="auto"${view.answerError ? html` aria-invalid="true" aria-describedby="answer-error"` : ''}></textarea></div>
<button type="submit">${t('status.sendAnswer')}</button>
</form>`
    : '';
  const cancel = view.canCancel
    ? html`<form method="post" action="${base}/cancel" class="cancel-form">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<button type="submit" class="danger">${t('status.cancel')}</button>
</form>`
    : '';
  return layout(
    { lang, title: t('status.heading', { ref: view.ref }) },
    html`<main>
<h1>${t('status.heading', { ref: view.ref })}</h1>
${view.flash ? html`<p class="done" role="status">${view.flash}</p>` : ''}
${details}
${view.notice ? html`<p class="notice-text">${view.notice}</p>` : ''}
${view.hasCalendar ? html`<p><a href="${base}/calendar.ics" download="${view.ref}.ics">${t('status.calendar')}</a></p>` : ''}
<h2>${t('status.messages')}</h2>
${messages}
${answer}
${cancel}
</main>`,
  );
}

/** A short page with one message (a wrong status link, an expired form, too many requests). */
export function messagePage(lang: Lang, title: string, text: string, back: string): string {
  return layout(
    { lang, title },
    html`<main>
<h1>${title}</h1>
<p role="alert">${text}</p>
<p><a href="/?lang=${lang}">${back}</a></p>
</main>`,
  );
}
