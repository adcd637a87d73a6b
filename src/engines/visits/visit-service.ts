/**
 * Visit requests end to end, without any platform: validate and submit, decide (coordinators
 * only), cancel (the requester), show and list with the permission check. Every refusal and every
 * coordinator action goes to the audit log. The store, the rules and the clock are passed in.
 */
import type { Lang } from '../../core/languages.js';
import type { AuditRepo } from '../../stores/audit.js';
import type { VisitRecord, VisitRepo } from '../../stores/visits.js';
import type { Actor, Coordinators } from './coordinators.js';
import { checkDecision, type DecisionInput } from './decision.js';
import { type FieldError, validateVisitRequest } from './request.js';
import type { VisitRules } from './rules.js';
import { canCancel, canDecide, statusAfter } from './status.js';

export interface VisitServiceDeps {
  visits: VisitRepo;
  audit: AuditRepo;
  rules: () => VisitRules;
  coordinators: Coordinators;
  clock: () => Date;
}

export type SubmitResult =
  | { ok: true; ref: string; status: 'submitted' }
  | { ok: false; errors: FieldError[] };

export type ChangeOutcome =
  | { ok: true; record: VisitRecord }
  | { ok: false; reason: 'not-coordinator' | 'not-found' | 'not-allowed' | 'not-yours' }
  | { ok: false; reason: 'invalid'; errors: FieldError[] };

export const actorKey = (a: Actor): string => `${a.platform}:${a.userId}`;

export class VisitService {
  constructor(private readonly deps: VisitServiceDeps) {}

  get coordinators(): Coordinators {
    return this.deps.coordinators;
  }

  rules(): VisitRules {
    return this.deps.rules();
  }

  async validate(raw: unknown) {
    const now = this.deps.clock();
    return validateVisitRequest(raw, this.deps.rules(), await this.deps.visits.bookings(), now);
  }

  async submit(raw: unknown, requester: Actor, lang: Lang): Promise<SubmitResult> {
    const checked = await this.validate(raw);
    if (!checked.ok) return checked;
    const { ref } = await this.deps.visits.submit(
      checked.request,
      { requester: actorKey(requester), lang },
      this.deps.clock(),
    );
    return { ok: true, ref, status: 'submitted' };
  }

  private async refuse(actor: Actor, action: string, target: string | undefined): Promise<void> {
    await this.deps.audit.record({
      at: this.deps.clock().toISOString(),
      actor: actorKey(actor),
      action,
      target,
      outcome: 'refused',
      detail: 'not a coordinator',
    });
  }

  /** Whether `actor` may decide; a refusal is audited (a click on Approve by someone else). */
  async mayDecide(actor: Actor, kind: DecisionInput['kind'], ref: string): Promise<boolean> {
    if (this.deps.coordinators.isCoordinator(actor)) return true;
    await this.refuse(actor, `visit.${kind}`, ref);
    return false;
  }

  async decide(ref: string, decision: DecisionInput, actor: Actor): Promise<ChangeOutcome> {
    const action = `visit.${decision.kind}`;
    if (!this.deps.coordinators.isCoordinator(actor)) {
      await this.refuse(actor, action, ref);
      return { ok: false, reason: 'not-coordinator' };
    }
    const now = this.deps.clock();
    const errors = checkDecision(decision, this.deps.rules(), await this.deps.visits.bookings(), now);
    if (errors.length > 0) return { ok: false, reason: 'invalid', errors };
    return await this.deps.visits.change(
      ref,
      {
        status: statusAfter(decision.kind),
        actor: actorKey(actor),
        action,
        allowed: canDecide,
        note: decision.note?.trim() || undefined,
        ...(decision.kind === 'approve'
          ? { visitDate: decision.date?.trim(), meetingPoint: decision.meetingPoint?.trim() }
          : {}),
      },
      now,
    );
  }

  /** The requester (or a coordinator) cancels. */
  async cancel(ref: string, actor: Actor, note?: string): Promise<ChangeOutcome> {
    const record = await this.deps.visits.get(ref);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.requester !== actorKey(actor) && !this.deps.coordinators.isCoordinator(actor)) {
      await this.refuse(actor, 'visit.cancel', ref);
      return { ok: false, reason: 'not-yours' };
    }
    return await this.deps.visits.change(
      ref,
      { status: 'cancelled', actor: actorKey(actor), action: 'visit.cancel', allowed: canCancel, note },
      this.deps.clock(),
    );
  }

  /**
   * The requester answers a coordinator's question: the answer is recorded on the request
   * (history and audit, `visit.answer`) and the request goes back to `submitted`.
   */
  async answer(ref: string, actor: Actor, text: string): Promise<ChangeOutcome> {
    const note = text.trim();
    if (!note) return { ok: false, reason: 'invalid', errors: [{ field: 'note', code: 'required' }] };
    if (note.length > 1000)
      return {
        ok: false,
        reason: 'invalid',
        errors: [{ field: 'note', code: 'tooLong', params: { max: 1000 } }],
      };
    const record = await this.deps.visits.get(ref);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.requester !== actorKey(actor)) {
      await this.deps.audit.record({
        at: this.deps.clock().toISOString(),
        actor: actorKey(actor),
        action: 'visit.answer',
        target: ref,
        outcome: 'refused',
        detail: 'not the requester',
      });
      return { ok: false, reason: 'not-yours' };
    }
    return await this.deps.visits.change(
      ref,
      {
        status: 'submitted',
        actor: actorKey(actor),
        action: 'visit.answer',
        allowed: (s) => s === 'needs-info',
        note,
      },
      this.deps.clock(),
    );
  }

  /** The requester's requests waiting for their answer (status `needs-info`). */
  async awaitingAnswer(actor: Actor): Promise<VisitRecord[]> {
    return (await this.mine(actor)).filter((r) => r.status === 'needs-info');
  }

  /** A request as `actor` may see it: their own, or any for a coordinator (audited). */
  async show(ref: string, actor: Actor): Promise<ChangeOutcome> {
    const record = await this.deps.visits.get(ref);
    const own = record?.requester === actorKey(actor);
    if (!own && !this.deps.coordinators.isCoordinator(actor)) {
      await this.refuse(actor, 'visit.show', ref);
      return { ok: false, reason: record ? 'not-yours' : 'not-found' };
    }
    if (!record) return { ok: false, reason: 'not-found' };
    return { ok: true, record };
  }

  /** The requester's own requests, newest last. */
  mine(actor: Actor): Promise<VisitRecord[]> {
    return this.deps.visits.list({ requester: actorKey(actor) });
  }
}
