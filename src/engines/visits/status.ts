/** A request's life: submitted → needs-info ↔ submitted → approved | declined; the requester may cancel. */

export const STATUSES = ['submitted', 'needs-info', 'approved', 'declined', 'cancelled'] as const;
export type VisitStatus = (typeof STATUSES)[number];

export const DECISIONS = ['approve', 'decline', 'needs-info'] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** Statuses a coordinator can still decide on. */
const OPEN: ReadonlySet<VisitStatus> = new Set(['submitted', 'needs-info']);
/** Statuses whose personal data `koban visits purge` may delete. */
export const CLOSED: readonly VisitStatus[] = ['declined', 'cancelled', 'approved'];

export function isStatus(s: string): s is VisitStatus {
  return (STATUSES as readonly string[]).includes(s);
}

export function statusAfter(decision: DecisionKind): VisitStatus {
  return decision === 'approve' ? 'approved' : decision === 'decline' ? 'declined' : 'needs-info';
}

/** True when a coordinator may make `decision` on a request in `status`. */
export function canDecide(status: VisitStatus): boolean {
  return OPEN.has(status);
}

/** True when the requester may still cancel. */
export function canCancel(status: VisitStatus): boolean {
  return status === 'submitted' || status === 'needs-info' || status === 'approved';
}
