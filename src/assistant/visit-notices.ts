/**
 * Visit requests between people: a new request posted to the coordinators' channels with Approve /
 * Decline / Ask for details, the small form a coordinator fills in for each, and the requester told
 * of the decision by direct message in their own language (an `.ics` invitation with an approval).
 * Platforms come in as `Sender`s registered by the running adapters; this file knows none of them.
 */
import ical from 'ical-generator';
import { DEFAULT_LANG, type Lang } from '../core/languages.js';
import type { Platform } from '../core/message.js';
import type { Reply, ReplyButton, ReplyForm } from '../core/reply.js';
import type { Sender } from '../core/sender.js';
import type { Actor } from '../engines/visits/coordinators.js';
import { fieldErrorMessage } from '../engines/visits/messages.js';
import type { DecisionKind } from '../engines/visits/status.js';
import type { VisitService } from '../engines/visits/visit-service.js';
import type { I18nService, Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { AuditRepo } from '../stores/audit.js';
import type { VisitRecord, VisitRepo } from '../stores/visits.js';
import { makeReply } from './reply-builder.js';
import { visitSummary } from './visit-form.js';

export interface VisitNoticesDeps {
  service: VisitService;
  visits: Pick<VisitRepo, 'get'>;
  /** Decisions are found here, and each notice sent is recorded (`visit.notified`). */
  audit: Pick<AuditRepo, 'list' | 'record'>;
  clock: () => Date;
  i18n: I18nService;
  logger: Logger;
  /** `KOBAN_COORDINATOR_CHANNELS`, e.g. `slack:C0123`. */
  channels: readonly string[];
  /** The language of coordinator posts. */
  coordinatorLang?: Lang;
}

export type DecisionValues = { date?: string; meetingPoint?: string; note?: string };

export type DecisionOutcome =
  /** `notify` tells the requester; call it once the platform has its acknowledgement. */
  | { ok: true; reply: Reply; notify: () => Promise<void> }
  | { ok: false; errors: Array<{ field: string; message: string }> }
  | { ok: false; refused: Reply };

const DECISION_KINDS: readonly DecisionKind[] = ['approve', 'decline', 'needs-info'];
const DECISION_ACTIONS: ReadonlySet<string> = new Set(DECISION_KINDS.map((k) => `visit.${k}`));
export const NOTIFIED_ACTION = 'visit.notified';

export class VisitNotices {
  private readonly senders = new Map<Platform, Sender>();

  constructor(private readonly deps: VisitNoticesDeps) {}

  /** A running adapter offers its sender (and takes it back on stop); pending notices then go out. */
  register(sender: Sender): () => void {
    this.senders.set(sender.platform, sender);
    void this.deliverPending();
    return () => {
      if (this.senders.get(sender.platform) === sender) this.senders.delete(sender.platform);
    };
  }

  private get lang(): Lang {
    return this.deps.coordinatorLang ?? DEFAULT_LANG;
  }

  private t(lang: Lang): Translator {
    return this.deps.i18n.t(lang, 'visits');
  }

  /** The coordinators' post for a request: summary and the three decision buttons. */
  coordinatorPost(record: VisitRecord, answer?: string): Reply {
    const t = this.t(this.lang);
    const labels: Record<DecisionKind, string> = {
      approve: t('coordinator.approve'),
      decline: t('coordinator.decline'),
      'needs-info': t('coordinator.ask'),
    };
    const buttons: ReplyButton[] = DECISION_KINDS.map((kind) => ({
      label: labels[kind],
      action: { type: 'visit-decide', ref: record.ref, kind },
    }));
    return makeReply({
      intent: 'visit',
      lang: this.lang,
      title: t('form.title'),
      text: [
        answer === undefined
          ? t('coordinator.new', { ...record })
          : t('coordinator.answered', { ref: record.ref, organization: record.organization, answer }),
        visitSummary(t, { ...record }),
      ].join('\n\n'),
      buttons,
    });
  }

  /** Posts a newly submitted request to every coordinator channel whose platform is running; never throws. */
  async submitted(ref: string): Promise<void> {
    await this.postToCoordinators(ref);
  }

  /** Posts a requester's answer to the coordinators' question, with the decision buttons again; never throws. */
  async answered(ref: string, answer: string): Promise<void> {
    await this.postToCoordinators(ref, answer);
  }

  private async postToCoordinators(ref: string, answer?: string): Promise<void> {
    const record = await this.deps.visits.get(ref).catch((err: unknown) => {
      this.deps.logger.error({ err, ref }, 'visit request not posted to coordinators: cannot read it');
      return undefined;
    });
    if (!record) return;
    const post = this.coordinatorPost(record, answer);
    for (const entry of this.deps.channels) {
      const [platform, channel] = entry.split(/:(.*)/s) as [Platform, string];
      const sender = this.senders.get(platform);
      if (!sender) {
        this.deps.logger.warn(
          { ref, channel: entry },
          'visit request not posted: that platform is not running',
        );
        continue;
      }
      await sender.post(channel, post).catch((err: unknown) => {
        this.deps.logger.error(
          { err, ref, channel: entry },
          'could not post a visit request to coordinators',
        );
      });
    }
  }

  /** The form a coordinator fills in for a decision (date and meeting point, reason, or question). */
  decisionForm(kind: DecisionKind, ref: string, lang: Lang): ReplyForm {
    const t = this.t(lang);
    const fields: ReplyForm['fields'] =
      kind === 'approve'
        ? [
            { name: 'date', label: t('fields.date'), kind: 'text', required: true, hint: 'YYYY-MM-DD' },
            { name: 'meetingPoint', label: t('fields.meetingPoint'), kind: 'text', required: true },
            { name: 'note', label: t('decide.remark'), kind: 'long', required: false },
          ]
        : [
            {
              name: 'note',
              label: t(kind === 'decline' ? 'decide.reason' : 'decide.question'),
              kind: 'long',
              required: true,
            },
          ];
    return {
      id: 'visit-decision',
      title: t(`decide.title.${kind}`, { ref }),
      fields,
      submitLabel: t('decide.submit'),
    };
  }

  /** The refusal a non-coordinator gets (the attempt is audited); undefined when `actor` may decide. */
  async refusal(actor: Actor, kind: DecisionKind, ref: string, lang: Lang): Promise<Reply | undefined> {
    if (await this.deps.service.mayDecide(actor, kind, ref)) return undefined;
    return makeReply({ intent: 'visit', lang, text: this.t(lang)('decide.notCoordinator') });
  }

  /**
   * Applies a coordinator's decision and tells the requester. `by` is how the channel names the
   * coordinator (a Slack mention, a Discord name).
   */
  async decide(
    ref: string,
    kind: DecisionKind,
    values: DecisionValues,
    actor: Actor,
    lang: Lang,
    by: string,
  ): Promise<DecisionOutcome> {
    const t = this.t(lang);
    const result = await this.deps.service.decide(ref, { kind, ...values }, actor);
    if (!result.ok) {
      if (result.reason === 'invalid')
        return {
          ok: false,
          errors: result.errors.map((e) => ({ field: e.field, message: fieldErrorMessage(e, t) })),
        };
      const key =
        result.reason === 'not-coordinator'
          ? 'decide.notCoordinator'
          : result.reason === 'not-found'
            ? 'decide.notFound'
            : 'decide.notAllowed';
      return { ok: false, refused: makeReply({ intent: 'visit', lang, text: t(key, { ref }) }) };
    }
    const record = result.record;
    this.deps.logger.info({ ref, status: record.status }, 'visit request decided');
    const done = t('coordinator.decided', { ref, status: t(`statuses.${record.status}`), by });
    return {
      ok: true,
      reply: makeReply({ intent: 'visit', lang, text: done }),
      notify: async () => {
        await this.tellRequester(record, values.note);
      },
    };
  }

  /** The requester's notice, in their language; an approval carries an `.ics` invitation. */
  decisionNotice(record: VisitRecord, note: string | undefined, now: Date): Reply {
    const lang = record.requesterLang;
    const t = this.t(lang);
    const vars = {
      ref: record.ref,
      date: record.visitDate ?? '',
      place: record.meetingPoint ?? '',
      note: note ?? '',
    };
    const lines = [t(`notify.${record.status}`, vars)];
    if (record.status === 'approved' && note) lines.push(t('notify.remark', { note }));
    const reply = makeReply({ intent: 'visit', lang, title: t('form.title'), text: lines.join('\n\n') });
    if (record.status !== 'approved' || !record.visitDate) return reply;
    const calendar = ical({
      prodId: { company: 'koban-assistant', product: 'visits', language: lang.toUpperCase() },
    });
    calendar.createEvent({
      id: `${record.ref}@koban-assistant`,
      start: new Date(`${record.visitDate}T00:00:00Z`),
      allDay: true,
      stamp: now,
      summary: t('notify.icsTitle', { ref: record.ref, organization: record.organization }),
      location: record.meetingPoint ?? '',
    });
    return {
      ...reply,
      attachment: {
        filename: `${record.ref}.ics`,
        contentType: 'text/calendar',
        content: calendar.toString(),
      },
    };
  }

  /**
   * Sends the notices of decisions not yet told to their requesters (made with `koban visits
   * decide`, or while the requester's platform was down): a decision in the audit log with no
   * `visit.notified` after it. Runs when a sender registers and on the caller's schedule.
   */
  async deliverPending(): Promise<number> {
    if (this.delivering) return 0;
    this.delivering = true;
    try {
      const pending = new Set<string>();
      for (const e of await this.deps.audit.list()) {
        if (!e.target || e.outcome !== 'ok') continue;
        if (DECISION_ACTIONS.has(e.action)) pending.add(e.target);
        else if (e.action === NOTIFIED_ACTION) pending.delete(e.target);
      }
      let sent = 0;
      for (const ref of pending) {
        const record = await this.deps.visits.get(ref);
        if (!record || !['approved', 'declined', 'needs-info'].includes(record.status)) continue;
        if (await this.tellRequester(record, record.history.at(-1)?.note, false)) sent++;
      }
      return sent;
    } catch (err) {
      this.deps.logger.error({ err }, 'could not deliver pending visit notices');
      return 0;
    } finally {
      this.delivering = false;
    }
  }

  private delivering = false;
  private readonly telling = new Set<string>();

  /** True when the requester was told; otherwise the notice stays pending (and is logged). */
  private async tellRequester(record: VisitRecord, note: string | undefined, warn = true): Promise<boolean> {
    const [platform, userId] = record.requester.split(/:(.*)/s) as [Platform, string];
    const sender = this.senders.get(platform);
    // A notice already on its way (a click racing the pending sweep) is not sent twice.
    if (this.telling.has(record.ref)) return false;
    if (!sender || !userId) {
      if (warn)
        this.deps.logger.warn(
          { ref: record.ref, platform },
          'visit decision not sent yet: the requester platform is not running; sent when it is',
        );
      return false;
    }
    this.telling.add(record.ref);
    try {
      await sender.dm(userId, this.decisionNotice(record, note, new Date(record.updatedAt)));
      await this.deps.audit.record({
        at: this.deps.clock().toISOString(),
        actor: `${platform}:bot`,
        action: NOTIFIED_ACTION,
        target: record.ref,
        outcome: 'ok',
        detail: record.status,
      });
      return true;
    } catch (err) {
      this.deps.logger.error(
        { err, ref: record.ref },
        'could not tell the requester of a visit decision; will retry',
      );
      return false;
    } finally {
      this.telling.delete(record.ref);
    }
  }
}
