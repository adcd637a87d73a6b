/**
 * The announcement form as a whole (the `/announce` modal): the neutral `ReplyForm`, reading a
 * modal's values into `AnnouncementService`'s own input, a preview from the service's dry run
 * (targets and languages) kept as a draft, and Confirm → the service creates it (A-n).
 * Knows no platform; only coordinators get past `open`, and the service checks again on Confirm.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { AUTONYMS, isLang, LANGUAGES, type Lang } from '../core/languages.js';
import type { ReplyForm } from '../core/reply.js';
import {
  type AnnouncementInput,
  type AnnouncementService,
  localizeAnnounceErrors,
} from '../engines/announcements/announcement-service.js';
import { NoticeClock } from '../engines/announcements/notices.js';
import type { Actor } from '../engines/visits/coordinators.js';
import type { I18nService, Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';

export const ANNOUNCE_FIELDS = ['audienceKind', 'audienceValue', 'when', 'lang', 'text'] as const;
export type AnnounceField = (typeof ANNOUNCE_FIELDS)[number];
export const AUDIENCE_KINDS = ['everyone', 'course', 'channel', 'visit-date'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

/** What a modal sends back: text (or the picked choice) per field. */
export type AnnounceValues = Partial<Record<AnnounceField, string>>;

/** "2027-01-21 08:00" (also with a T), read in the course's zone by the service. */
const WHEN = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/;
/** How long a preview can wait for Confirm. */
const DRAFT_TTL_MS = 30 * 60_000;

export type AnnouncePreview =
  | { ok: true; draftId: string; text: string }
  | { ok: false; errors: Array<{ field: AnnounceField; message: string }> };

export type AnnounceConfirm =
  | { ok: true; ref: string; text: string }
  | { ok: false; reason: 'expired' | 'not-coordinator' | 'invalid'; text: string };

/** Where previews wait for Confirm (the store: another instance may get the click). */
export interface AnnounceDrafts {
  saveDraft(d: { id: string; createdBy: string; input: string; expiresAt: Date; now: Date }): Promise<void>;
  takeDraft(id: string, createdBy: string, now: Date): Promise<string | undefined>;
  dropDraft(id: string, createdBy: string): Promise<void>;
}

export interface AnnounceFormsDeps {
  service: AnnouncementService;
  drafts: AnnounceDrafts;
  i18n: I18nService;
  logger: Logger;
  clock: () => Date;
}

const actorKey = (a: Actor): string => `${a.platform}:${a.userId}`;

/** Which form field a service error belongs to (`audience.courses` → the audience value, …). */
export function formField(serviceField: string): AnnounceField {
  if (serviceField === 'audience') return 'audienceKind';
  if (serviceField.startsWith('audience')) return 'audienceValue';
  if (serviceField === 'at') return 'when';
  if (serviceField === 'original') return 'lang';
  return 'text';
}

/** A language as a code ("id") or its own name ("Bahasa Indonesia"). */
function langOf(typed: string): string {
  const word = typed.toLowerCase();
  return LANGUAGES.find((l) => l === word || AUTONYMS[l].toLowerCase() === word) ?? word;
}

/** The audience kinds numbered in the coordinator's language, for typed choices ("1 Everyone, 2 …"). */
export function numberedKinds(t: Translator): string {
  return AUDIENCE_KINDS.map((k, i) => `${i + 1} ${t(`form.kinds.${k}`)}`).join(', ');
}

export class AnnounceForms {
  constructor(private readonly deps: AnnounceFormsDeps) {}

  /** Whether `actor` may announce; a refusal is audited by the service. */
  async allowed(actor: Actor): Promise<boolean> {
    return await this.deps.service.allowed(actor, 'announce.open');
  }

  /** The polite refusal for someone who is not a coordinator. */
  refusal(lang: Lang): string {
    return this.t(lang)('form.refused');
  }

  /** The empty form in `lang`; the text's language defaults to the coordinator's. */
  open(lang: Lang): ReplyForm {
    const t = this.t(lang);
    const field = (name: AnnounceField) => ({ name, label: t(`form.fields.${name}`) });
    return {
      id: 'announce',
      title: t('form.title'),
      submitLabel: t('form.submit'),
      fields: [
        {
          ...field('audienceKind'),
          kind: 'choices',
          required: true,
          choices: AUDIENCE_KINDS.map((k) => ({ value: k, label: t(`form.kinds.${k}`) })),
        },
        { ...field('audienceValue'), kind: 'text', required: false, hint: t('form.hints.audienceValue') },
        { ...field('when'), kind: 'text', required: false, hint: t('form.hints.when') },
        {
          ...field('lang'),
          kind: 'choices',
          required: true,
          value: lang,
          choices: LANGUAGES.map((l) => ({ value: l, label: AUTONYMS[l] })),
        },
        { ...field('text'), kind: 'long', required: true },
      ],
    };
  }

  /**
   * Reads the values into the service's input; problems with the form itself (a time not written
   * as `YYYY-MM-DD HH:mm`, an unknown language, a missing value) come back per field.
   */
  read(
    values: AnnounceValues,
    lang: Lang,
  ): { ok: true; input: unknown } | { ok: false; errors: Array<{ field: AnnounceField; message: string }> } {
    const t = this.t(lang);
    const clean = (f: AnnounceField) => (values[f] ?? '').normalize('NFKC').trim();
    const errors: Array<{ field: AnnounceField; message: string }> = [];
    const kind = this.kindOf(clean('audienceKind'), t);
    const value = clean('audienceValue');
    let audience: AnnouncementInput['audience'] | undefined;
    if (kind === 'everyone') audience = { everyone: true };
    else if (!(AUDIENCE_KINDS as readonly string[]).includes(kind))
      errors.push({ field: 'audienceKind', message: t('form.errors.kind') });
    else if (value === '') errors.push({ field: 'audienceValue', message: t('form.errors.value') });
    else if (kind === 'course') audience = { courses: value.split(/[\s,、，]+/u).filter(Boolean) };
    else if (kind === 'channel') audience = { channels: value.split(/[\s,、，]+/u).filter(Boolean) };
    else audience = { visitDate: value };
    const when = clean('when');
    const at = when === '' ? undefined : WHEN.exec(when);
    if (at === null) errors.push({ field: 'when', message: t('form.errors.when') });
    const textLang = langOf(clean('lang'));
    if (!isLang(textLang)) errors.push({ field: 'lang', message: t('form.errors.lang') });
    const text = (values.text ?? '').trim();
    if (text === '') errors.push({ field: 'text', message: t('errors.noContent') });
    if (errors.length > 0 || !audience || !isLang(textLang)) return { ok: false, errors };
    return {
      ok: true,
      input: {
        audience,
        ...(at ? { at: `${at[1]}T${at[2]}` } : {}),
        text: { [textLang]: text },
        original: textLang,
      },
    };
  }

  /** Validates through the service's own schema and dry run; keeps the draft for Confirm. */
  async preview(values: AnnounceValues, actor: Actor, lang: Lang): Promise<AnnouncePreview> {
    const read = this.read(values, lang);
    if (!read.ok) return read;
    const t = this.t(lang);
    const planned = await this.deps.service.plan(read.input);
    if (!planned.ok) {
      const errors = localizeAnnounceErrors(planned.errors, t).map((e) => ({
        field: formField(e.field),
        message: e.message,
      }));
      return { ok: false, errors };
    }
    const draftId = randomBytes(6).toString('hex');
    const now = this.deps.clock();
    await this.deps.drafts.saveDraft({
      id: draftId,
      createdBy: actorKey(actor),
      input: JSON.stringify(planned.input),
      expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
      now,
    });
    const when = planned.input.at
      ? new NoticeClock(lang, planned.zone).dateTime(DateTime.fromISO(planned.dueAt))
      : t('form.now');
    const lines = planned.targets.map((p) =>
      t('form.preview.line', { target: p.target, languages: p.lang.map((l) => AUTONYMS[l]).join(', ') }),
    );
    const sample = planned.targets[0]?.preview.text ?? '';
    const text = [
      t('form.preview.title', { count: planned.targets.length, when }),
      lines.join('\n'),
      sample ? `${t('form.preview.sample')}\n${sample}` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    return { ok: true, draftId, text };
  }

  /** Confirm: the service creates the announcement (it checks the coordinator again and audits). */
  async confirm(draftId: string, actor: Actor, lang: Lang): Promise<AnnounceConfirm> {
    const t = this.t(lang);
    const input = await this.deps.drafts.takeDraft(draftId, actorKey(actor), this.deps.clock());
    if (input === undefined) return { ok: false, reason: 'expired', text: t('form.expired') };
    // Our own JSON, written at preview; the service validates it again with its schema.
    const created = await this.deps.service.create(JSON.parse(input) as unknown, actor);
    if (!created.ok) {
      if (created.reason === 'not-coordinator')
        return { ok: false, reason: 'not-coordinator', text: t('form.refused') };
      const lines = localizeAnnounceErrors(created.errors, t).map((e) => e.message);
      return { ok: false, reason: 'invalid', text: lines.join('\n') };
    }
    this.deps.logger.info({ ref: created.id, targets: created.targets.length }, 'announcement queued');
    return { ok: true, ref: created.id, text: t('form.queued', { ref: created.id }) };
  }

  /** Cancel: the draft is dropped, nothing is sent. */
  async cancel(draftId: string, actor: Actor, lang: Lang): Promise<string> {
    await this.deps.drafts.dropDraft(draftId, actorKey(actor));
    return this.t(lang)('form.cancelled');
  }

  /**
   * The audience kind as picked (a choice's value) or typed on platforms with text inputs only
   * (Discord modals): its number in the list, or its label in the coordinator's language.
   */
  private kindOf(typed: string, t: Translator): string {
    const word = typed.toLowerCase();
    const n = Number(word);
    if (Number.isInteger(n) && n >= 1 && n <= AUDIENCE_KINDS.length) return AUDIENCE_KINDS[n - 1] ?? word;
    const byLabel = AUDIENCE_KINDS.find((k) => t(`form.kinds.${k}`).toLowerCase() === word);
    return byLabel ?? word;
  }

  private t(lang: Lang): Translator {
    return this.deps.i18n.t(lang, 'announcements');
  }
}

/** The button labels under a preview. */
export function previewButtons(t: Translator): { confirm: string; cancel: string } {
  return { confirm: t('form.confirm'), cancel: t('form.cancel') };
}
