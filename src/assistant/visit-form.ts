/**
 * The visit form as a whole (modals on Slack and Discord): the neutral `ReplyForm` with values
 * kept and errors shown, reading a modal's text values into a request, and submitting through
 * `VisitService` so every way in is checked by the same validation.
 */
import type { Lang } from '../core/languages.js';
import type { FormField, Reply, ReplyForm } from '../core/reply.js';
import type { Actor } from '../engines/visits/coordinators.js';
import { type DraftData, readAnswer } from '../engines/visits/form.js';
import { fieldErrorMessage } from '../engines/visits/messages.js';
import {
  FIELD_KINDS,
  type FieldError,
  INTERESTS,
  type Interest,
  OPTIONAL_FIELDS,
  VISIT_FIELDS,
  type VisitField,
} from '../engines/visits/request.js';
import type { VisitService } from '../engines/visits/visit-service.js';
import type { I18nService, Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import { makeReply } from './reply-builder.js';

/** A value as the user sees it ("Koban, Other", "yes"). */
export function shownValue(field: VisitField, value: unknown, t: Translator): string {
  if (value === undefined) return '';
  if (Array.isArray(value))
    return value.map((v) => (field === 'interests' ? t(`interests.${String(v)}`) : String(v))).join(', ');
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  return String(value);
}

/** The whole form in one language; `t` is the `visits` translator. */
export function buildVisitForm(
  t: Translator,
  data: DraftData,
  errors: FieldError[],
  current?: VisitField,
): ReplyForm {
  const fields: FormField[] = VISIT_FIELDS.map((name) => {
    const error = errors.find((e) => e.field === name);
    const value = shownValue(name, data[name], t);
    return {
      name,
      label: t(`fields.${name}`),
      kind: FIELD_KINDS[name],
      required: !OPTIONAL_FIELDS.has(name),
      ...(value ? { value } : {}),
      ...(error ? { error: fieldErrorMessage(error, t) } : {}),
      ...(name === 'interests'
        ? { choices: INTERESTS.map((i) => ({ value: i, label: t(`interests.${i}`) })) }
        : {}),
    };
  });
  return {
    id: 'visit',
    title: t('form.title'),
    fields,
    ...(current ? { current } : {}),
    submitLabel: t('form.submit'),
  };
}

/** The answered fields, one "• Field: value" line each. */
export function visitSummary(t: Translator, data: DraftData): string {
  return VISIT_FIELDS.filter((f) => data[f] !== undefined)
    .map((f) => `• ${t(`fields.${f}`)}: ${shownValue(f, data[f], t)}`)
    .join('\n');
}

/** What a modal sends back: text per field, choice values for `interests`, "yes"/"no" for yes/no fields. */
export type FormValues = Partial<Record<VisitField, string | readonly string[]>>;

/** A modal's values as a request: dates split, yes/no read, empty optional fields left out. */
export function requestFromValues(values: FormValues): DraftData {
  const data: DraftData = {};
  for (const field of VISIT_FIELDS) {
    const raw = values[field];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      if (raw.length > 0) data[field] = [...raw];
      continue;
    }
    const text = String(raw).normalize('NFKC').trim();
    if (text === '') continue;
    const kind = FIELD_KINDS[field];
    if (kind === 'dates') data[field] = text.split(/[\s,、，;]+/u).filter(Boolean);
    else if (kind === 'yesno') data[field] = text === 'yes' ? true : text === 'no' ? false : text;
    else if (kind === 'choices') data[field] = text.split(/[\s,]+/u).filter(Boolean);
    else data[field] = text;
  }
  return data;
}

export type FormSubmission =
  | { ok: true; ref: string; reply: Reply }
  | { ok: false; form: ReplyForm; errors: Array<{ field: string; message: string }> };

export interface VisitFormsDeps {
  service: VisitService;
  i18n: I18nService;
  logger: Logger;
}

/** Opening and submitting the visit form from a platform modal. */
export class VisitForms {
  constructor(private readonly deps: VisitFormsDeps) {}

  /** The empty form in `lang`. */
  open(lang: Lang): ReplyForm {
    return buildVisitForm(this.t(lang), {}, []);
  }

  /** Validates and submits; on problems, the form with the values kept and a message per field. */
  async submit(values: FormValues, requester: Actor, lang: Lang): Promise<FormSubmission> {
    const t = this.t(lang);
    const data = requestFromValues(this.fromTypedText(values, t));
    const result = await this.deps.service.submit(data, requester, lang);
    if (!result.ok) {
      return {
        ok: false,
        form: buildVisitForm(t, data, result.errors),
        errors: result.errors.map((e) => ({ field: e.field, message: fieldErrorMessage(e, t) })),
      };
    }
    this.deps.logger.info({ ref: result.ref }, 'visit request submitted');
    const reply = makeReply({
      intent: 'visit',
      lang,
      title: t('form.title'),
      text: [
        t('form.submitted', { ref: result.ref, status: t(`statuses.${result.status}`) }),
        visitSummary(t, data),
      ].join('\n\n'),
    });
    return { ok: true, ref: result.ref, reply };
  }

  /**
   * Platforms with text inputs only (Discord modals): interests typed as numbers or names in the
   * user's language, yes/no as the language's words. Values from real choices pass unchanged.
   */
  private fromTypedText(values: FormValues, t: Translator): FormValues {
    const out: FormValues = { ...values };
    const interests = values.interests;
    if (typeof interests === 'string' && interests.trim() !== '') {
      const labels = Object.fromEntries(INTERESTS.map((i) => [i, t(`interests.${i}`)])) as Record<
        Interest,
        string
      >;
      const read = readAnswer('interests', interests, labels, undefined);
      if ('value' in read && Array.isArray(read.value)) out.interests = read.value as string[];
    }
    const interpreter = values.interpreter;
    if (typeof interpreter === 'string') {
      const word = interpreter.normalize('NFKC').trim().toLowerCase();
      if (word === 'yes' || word === t('yes').toLowerCase()) out.interpreter = 'yes';
      else if (word === 'no' || word === t('no').toLowerCase()) out.interpreter = 'no';
    }
    return out;
  }

  private t(lang: Lang): Translator {
    return this.deps.i18n.t(lang, 'visits');
  }
}
