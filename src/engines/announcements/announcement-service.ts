/**
 * Announcements: a coordinator writes once (free text in one language, optional versions in
 * others, or a structured notice), picks an audience and a time, and every target gets one outbox
 * row. Only coordinators may post, cancel, withdraw or correct; refusals are audited. Knows no
 * platform: delivery is the outbox worker's.
 */
import type { Kysely } from 'kysely';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { isLang, LANGUAGES, type Lang } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import type { I18nService, Translator } from '../../i18n/i18n.js';
import type { AnnouncementRecord, AnnouncementStatus } from '../../stores/announcements.js';
import type { Database } from '../../stores/schema.js';
import type { Store } from '../../stores/store.js';
import type { Actor, Coordinators } from '../visits/coordinators.js';
import type { ChannelDirectory } from './channels.js';
import {
  cancel as cancelRows,
  composeReply,
  enqueue,
  entries,
  type OutboxItem,
  type OutboxPayload,
  outboxPayloadSchema,
  revise,
  targetIn,
} from './outbox.js';
import { formatTarget, parseTarget, type TargetRef } from './target.js';

const TIME_ZONE = 'Asia/Tokyo';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const langs = z.enum(LANGUAGES);

/** What `koban announce create --json` and the modals submit. */
export const announcementInputSchema = z
  .object({
    audience: z
      .object({
        everyone: z.literal(true).optional(),
        courses: z.array(z.string().min(1).max(80)).max(50).optional(),
        channels: z.array(z.string().max(120)).max(100).optional(),
        visitDate: z.string().regex(DATE).optional(),
      })
      .strict(),
    /** ISO-8601; without an offset it is read in the course's time zone. */
    at: z.string().max(40).optional(),
    notice: z
      .object({ kind: z.string().min(1).max(40), fields: z.record(z.string(), z.unknown()) })
      .optional(),
    text: z.partialRecord(langs, z.string().trim().min(1).max(3500)).optional(),
    /** The language the coordinator wrote in (default: the first in `text`). */
    original: langs.optional(),
  })
  .strict();
export type AnnouncementInput = z.infer<typeof announcementInputSchema>;

/** Corrections replace the content; the audience and time stay. */
export const correctionInputSchema = announcementInputSchema.pick({
  text: true,
  notice: true,
  original: true,
});

/** A validation problem, localized by `localize` (code → announcements:errors.<code>). */
export interface AnnounceError {
  field: string;
  code: string;
  params?: Record<string, string>;
}

/** Renders a structured notice in every language (the notice templates plug in here). */
export type NoticeRenderer = (notice: {
  kind: string;
  fields: Record<string, unknown>;
}) =>
  | { ok: true; payload: Omit<OutboxPayload, 'confirm' | 'revision'> }
  | { ok: false; errors: AnnounceError[] };

export interface AnnouncementServiceDeps {
  store: Pick<Store, 'db' | 'dialect' | 'announcements' | 'audit' | 'visits' | 'announcementDms'>;
  coordinators: Coordinators;
  channels: ChannelDirectory;
  /** A course's IANA time zone, or undefined for an unknown course. */
  courseZone: (courseId: string) => string | undefined;
  i18n: I18nService;
  clock: () => Date;
  notices?: NoticeRenderer;
}

/** One target of a prepared announcement, with its preview. */
export interface PlannedTarget {
  target: string;
  lang: Lang[];
  preview: Reply;
}

export type CreateResult =
  | { ok: true; id: string; status: 'scheduled'; dueAt: string; targets: PlannedTarget[] }
  | { ok: false; reason: 'not-coordinator' }
  | { ok: false; reason: 'invalid'; errors: AnnounceError[] };

export type ChangeResult =
  | { ok: true; id: string; status: AnnouncementStatus; edited: number; cancelled: number }
  | { ok: false; reason: 'not-coordinator' | 'not-found' | 'not-allowed' }
  | { ok: false; reason: 'invalid'; errors: AnnounceError[] };

export interface AnnouncementStatusView {
  id: string;
  status: AnnouncementStatus;
  dueAt: string;
  createdBy: string;
  targets: {
    target: string;
    lang: Lang[];
    state: string;
    messageId?: string;
    error?: string;
    confirmedBy: string[];
  }[];
}

const actorKey = (a: Actor): string => `${a.platform}:${a.userId}`;

function zodErrors(error: z.ZodError): AnnounceError[] {
  return error.issues.map((i) => ({
    field: i.path.join('.') || 'json',
    code: 'invalid',
    params: { detail: i.message },
  }));
}

export class AnnouncementService {
  constructor(private readonly deps: AnnouncementServiceDeps) {}

  get coordinators(): Coordinators {
    return this.deps.coordinators;
  }

  /** Whether `actor` may post; a refusal is audited under `action`. */
  async allowed(actor: Actor, action: string, target?: string): Promise<boolean> {
    if (this.deps.coordinators.isCoordinator(actor)) return true;
    await this.deps.store.audit.record({
      at: this.deps.clock().toISOString(),
      actor: actorKey(actor),
      action,
      target,
      outcome: 'refused',
      detail: 'not a coordinator',
    });
    return false;
  }

  /** Validates and plans without writing: the targets, their languages and each preview. */
  async plan(raw: unknown): Promise<
    | {
        ok: true;
        input: AnnouncementInput;
        payload: OutboxPayload;
        dueAt: string;
        /** The IANA zone the send time was read in (for showing it back). */
        zone: string;
        targets: PlannedTarget[];
      }
    | { ok: false; errors: AnnounceError[] }
  > {
    const parsed = announcementInputSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
    const input = parsed.data;
    const errors: AnnounceError[] = [];
    const content = this.content(input, errors);
    const targets = await this.targets(input, errors);
    const dueAt = this.dueAt(input, errors);
    if (errors.length > 0 || !content || !dueAt) return { ok: false, errors };
    const payload: OutboxPayload = { ...content, confirm: true };
    const planned = targets.map((t) => ({
      target: formatTarget(t.ref),
      lang: t.lang,
      preview: composeReply(payload, t.lang, 'A-?', this.deps.i18n),
    }));
    return { ok: true, input, payload, dueAt, zone: this.zoneOf(input), targets: planned };
  }

  async create(raw: unknown, actor: Actor): Promise<CreateResult> {
    if (!(await this.allowed(actor, 'announce.create'))) return { ok: false, reason: 'not-coordinator' };
    const planned = await this.plan(raw);
    if (!planned.ok) return { ok: false, reason: 'invalid', errors: planned.errors };
    const now = this.deps.clock();
    const store = this.deps.store;
    const id = await store.announcements.create(
      {
        createdBy: actorKey(actor),
        audience: JSON.stringify(planned.input.audience),
        content: JSON.stringify(planned.payload),
        dueAt: planned.dueAt,
        now,
      },
      async (ref, trx) => {
        const items: OutboxItem[] = planned.targets.flatMap((t) => {
          const target = parseTarget(t.target);
          return target
            ? [
                {
                  kind: 'announcement',
                  refId: ref,
                  target,
                  lang: t.lang,
                  dueAt: planned.dueAt,
                  payload: planned.payload,
                },
              ]
            : [];
        });
        await enqueue({ db: trx, dialect: store.dialect }, items, now);
      },
    );
    return { ok: true, id, status: 'scheduled', dueAt: planned.dueAt, targets: planned.targets };
  }

  async list(): Promise<AnnouncementRecord[]> {
    await this.deps.store.announcements.markSent(this.deps.clock());
    return await this.deps.store.announcements.list();
  }

  async status(ref: string): Promise<AnnouncementStatusView | undefined> {
    const store = this.deps.store;
    await store.announcements.markSent(this.deps.clock());
    const record = await store.announcements.get(ref);
    if (!record) return undefined;
    const confirmations = await store.announcements.confirmations(ref);
    const rows = await entries(store, ref);
    return {
      id: ref,
      status: record.status,
      dueAt: record.dueAt,
      createdBy: record.createdBy,
      targets: rows.map((r) => ({
        target: r.target,
        lang: r.lang,
        state: r.state,
        ...(r.messageId ? { messageId: r.messageId } : {}),
        ...(r.error ? { error: r.error } : {}),
        confirmedBy: confirmations.filter((c) => c.target === r.target).map((c) => c.userKey),
      })),
    };
  }

  async exists(ref: string): Promise<boolean> {
    return (await this.deps.store.announcements.get(ref)) !== undefined;
  }

  /** Stops copies not sent yet. */
  async cancel(ref: string, actor: Actor): Promise<ChangeResult> {
    return await this.change(ref, actor, 'announce.cancel', async (record, trx, now) => {
      if (record.status !== 'scheduled') return undefined;
      const cancelled = await cancelRows({ db: trx, dialect: this.deps.store.dialect }, ref, now);
      return { status: 'cancelled', edited: 0, cancelled };
    });
  }

  /** Cancels copies not sent yet and marks every sent copy as withdrawn. */
  async withdraw(ref: string, actor: Actor): Promise<ChangeResult> {
    return await this.change(ref, actor, 'announce.withdraw', async (record, trx, now) => {
      if (record.status === 'withdrawn' || record.status === 'cancelled') return undefined;
      const db = { db: trx, dialect: this.deps.store.dialect };
      const payload = { ...this.storedPayload(record), revision: 'withdrawn' as const, confirm: false };
      const cancelled = await cancelRows(db, ref, now);
      const edited = await revise(db, ref, payload, now);
      return { status: 'withdrawn', edited, cancelled, content: JSON.stringify(payload) };
    });
  }

  /** Replaces the content: copies not sent yet go out corrected, sent copies are edited. */
  async correct(ref: string, raw: unknown, actor: Actor): Promise<ChangeResult> {
    const parsed = correctionInputSchema.safeParse(raw);
    if (!parsed.success) {
      if (!(await this.allowed(actor, 'announce.correct', ref)))
        return { ok: false, reason: 'not-coordinator' };
      return { ok: false, reason: 'invalid', errors: zodErrors(parsed.error) };
    }
    const errors: AnnounceError[] = [];
    const content = this.content(parsed.data, errors);
    if (!content) {
      if (!(await this.allowed(actor, 'announce.correct', ref)))
        return { ok: false, reason: 'not-coordinator' };
      return { ok: false, reason: 'invalid', errors };
    }
    return await this.change(ref, actor, 'announce.correct', async (record, trx, now) => {
      if (record.status === 'withdrawn' || record.status === 'cancelled') return undefined;
      const payload: OutboxPayload = { ...content, confirm: true, revision: 'corrected' };
      const edited = await revise({ db: trx, dialect: this.deps.store.dialect }, ref, payload, now);
      return { status: record.status, edited, cancelled: 0, content: JSON.stringify(payload) };
    });
  }

  /** A click on "OK, got it" in `channelId`: recorded once per person, credited to that copy's target. */
  async confirmClick(
    ref: string,
    actor: Actor,
    channelId: string | undefined,
  ): Promise<'recorded' | 'already' | 'unknown'> {
    const target = channelId ? await targetIn(this.deps.store, ref, actor.platform, channelId) : undefined;
    const record = await this.deps.store.announcements.get(ref);
    if (!target || !record || record.status === 'withdrawn') return 'unknown';
    return (await this.confirm(ref, target, actorKey(actor))) ? 'recorded' : 'already';
  }

  /** Records "OK, got it" from `userKey` on the copy in `target`; false when already confirmed. */
  async confirm(ref: string, target: string, userKey: string): Promise<boolean> {
    return await this.deps.store.announcements.confirm(ref, target, userKey, this.deps.clock());
  }

  private storedPayload(record: AnnouncementRecord): OutboxPayload {
    return outboxPayloadSchema.parse(JSON.parse(record.content));
  }

  private async change(
    ref: string,
    actor: Actor,
    action: string,
    apply: (
      record: AnnouncementRecord,
      trx: Kysely<Database>,
      now: Date,
    ) => Promise<
      { status: AnnouncementStatus; edited: number; cancelled: number; content?: string } | undefined
    >,
  ): Promise<ChangeResult> {
    if (!(await this.allowed(actor, action, ref))) return { ok: false, reason: 'not-coordinator' };
    const store = this.deps.store;
    await store.announcements.markSent(this.deps.clock());
    const record = await store.announcements.get(ref);
    if (!record) return { ok: false, reason: 'not-found' };
    const now = this.deps.clock();
    let outcome: Awaited<ReturnType<typeof apply>>;
    await store.announcements
      .change(
        ref,
        { audit: { at: now.toISOString(), actor: actorKey(actor), action, target: ref, outcome: 'ok' } },
        async (trx) => {
          outcome = await apply(record, trx, now);
          if (!outcome) throw new NotAllowed();
          await trx
            .updateTable('announcements')
            .set({ status: outcome.status, ...(outcome.content ? { content: outcome.content } : {}) })
            .where('ref', '=', ref)
            .execute();
        },
      )
      .catch((err: unknown) => {
        if (!(err instanceof NotAllowed)) throw err;
        outcome = undefined;
      });
    if (!outcome) return { ok: false, reason: 'not-allowed' };
    return {
      ok: true,
      id: ref,
      status: outcome.status,
      edited: outcome.edited,
      cancelled: outcome.cancelled,
    };
  }

  private content(input: Pick<AnnouncementInput, 'text' | 'notice' | 'original'>, errors: AnnounceError[]) {
    if (input.notice && input.text) {
      errors.push({ field: 'text', code: 'textAndNotice' });
      return undefined;
    }
    if (input.notice) {
      if (!this.deps.notices) {
        errors.push({ field: 'notice', code: 'noticeUnavailable' });
        return undefined;
      }
      const rendered = this.deps.notices(input.notice);
      if (!rendered.ok) {
        errors.push(...rendered.errors);
        return undefined;
      }
      return rendered.payload;
    }
    const versions = input.text ?? {};
    const written = Object.keys(versions).filter(isLang);
    const original = input.original ?? written[0];
    if (!original || written.length === 0) {
      errors.push({ field: 'text', code: 'noContent' });
      return undefined;
    }
    if (!versions[original]) {
      errors.push({ field: 'original', code: 'originalMissing', params: { lang: original } });
      return undefined;
    }
    const out: OutboxPayload['versions'] = {};
    for (const lang of written) {
      const text = versions[lang];
      if (text) out[lang] = { text };
    }
    return { original, versions: out };
  }

  private async targets(
    input: AnnouncementInput,
    errors: AnnounceError[],
  ): Promise<{ ref: TargetRef; lang: Lang[] }[]> {
    const { channels } = this.deps;
    const a = input.audience;
    const found = new Map<string, { ref: TargetRef; lang: Lang[] }>();
    const addChannel = (ref: TargetRef) =>
      found.set(formatTarget(ref), { ref, lang: channels.languagesOf(ref) });
    if (a.everyone) for (const ref of channels.all()) addChannel(ref);
    for (const course of a.courses ?? []) {
      const refs = channels.ofCourse(course);
      if (refs.length === 0)
        errors.push({ field: 'audience.courses', code: 'unknownCourse', params: { course } });
      for (const ref of refs) addChannel(ref);
    }
    for (const text of a.channels ?? []) {
      const ref = parseTarget(text);
      if (ref?.kind !== 'channel')
        errors.push({ field: 'audience.channels', code: 'badChannel', params: { channel: text } });
      else addChannel(ref);
    }
    // Users who asked for announcements by DM: everyone's, or their course's, in their language.
    if (a.everyone || a.courses?.length) {
      const courses = new Set(a.courses ?? []);
      for (const r of await this.deps.store.announcementDms.recipients()) {
        if (!a.everyone && !(r.course && courses.has(r.course))) continue;
        const ref = parseTarget(r.userKey.replace(/^(slack|discord):/, '$1:dm:'));
        if (ref?.kind === 'dm') found.set(formatTarget(ref), { ref, lang: [r.lang] });
      }
    }
    if (a.visitDate) {
      const visits = await this.deps.store.visits.list({ status: 'approved' });
      const onDate = visits.filter((v) => v.visitDate === a.visitDate);
      for (const v of onDate) {
        const ref = parseTarget(v.requester.replace(/^(slack|discord):/, '$1:dm:'));
        if (ref) found.set(formatTarget(ref), { ref, lang: [v.requesterLang] });
      }
      if (onDate.length === 0)
        errors.push({ field: 'audience.visitDate', code: 'noVisits', params: { date: a.visitDate } });
    }
    if (!a.everyone && !a.courses?.length && !a.channels?.length && !a.visitDate)
      errors.push({ field: 'audience', code: 'noAudience' });
    else if (found.size === 0 && errors.length === 0) errors.push({ field: 'audience', code: 'noTargets' });
    return [...found.values()];
  }

  /** The first course's zone (else Tokyo): a send time without offset is read in it. */
  private zoneOf(input: AnnouncementInput): string {
    const course = input.audience.courses?.[0];
    const zoneName = (course && this.deps.courseZone(course)) || TIME_ZONE;
    return IANAZone.isValidZone(zoneName) ? zoneName : TIME_ZONE;
  }

  /** The send time as UTC ISO; a time without offset is in the first course's zone (else Tokyo). */
  private dueAt(input: AnnouncementInput, errors: AnnounceError[]): string | undefined {
    const now = this.deps.clock();
    if (!input.at) return now.toISOString();
    const at = DateTime.fromISO(input.at, { zone: this.zoneOf(input), setZone: false });
    if (!at.isValid) {
      errors.push({ field: 'at', code: 'badTime', params: { at: input.at } });
      return undefined;
    }
    if (at.toMillis() < now.getTime() - 60_000) {
      errors.push({ field: 'at', code: 'pastTime', params: { at: input.at } });
      return undefined;
    }
    return new Date(at.toMillis()).toISOString();
  }
}

class NotAllowed extends Error {}

/** Errors in the reader's language: `{field, message}` as the CLI prints them. */
export function localizeAnnounceErrors(
  errors: readonly AnnounceError[],
  t: Translator,
): { field: string; message: string }[] {
  return errors.map((e) => {
    if (e.code.startsWith('notice.')) {
      // A structured notice's problem, worded by the notice templates (`locales/<lang>/notices.json`).
      const field = t(`notices:field.${e.field}`, { defaultValue: e.field });
      const problem = t(`notices:invalid.${e.code.slice('notice.'.length)}`, { ...e.params });
      return { field: `notice.fields.${e.field}`, message: t('notices:invalid.line', { field, problem }) };
    }
    return { field: e.field, message: t(`errors.${e.code}`, { field: e.field, ...e.params }) };
  });
}
