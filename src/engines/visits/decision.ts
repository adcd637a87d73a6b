/** What a coordinator's decision needs: a bookable date and a meeting point to approve, a reason to decline, a question to ask. */
import { type Bookings, dayProblem } from './capacity.js';
import { isDay } from './dates.js';
import type { FieldError } from './request.js';
import type { VisitRules } from './rules.js';
import type { DecisionKind } from './status.js';

export interface DecisionInput {
  kind: DecisionKind;
  /** YYYY-MM-DD, for approve. */
  date?: string | undefined;
  meetingPoint?: string | undefined;
  /** The reason (decline), the question (needs-info) or a remark (approve). */
  note?: string | undefined;
}

/** Problems with a decision, as field errors (fields `date`, `meetingPoint`, `note`). */
export function checkDecision(
  d: DecisionInput,
  rules: VisitRules,
  bookings: Bookings,
  now: Date,
): FieldError[] {
  const errors: FieldError[] = [];
  const note = d.note?.trim();
  if (d.kind === 'approve') {
    const date = d.date?.trim();
    if (!date) errors.push({ field: 'date', code: 'required' });
    else if (!isDay(date)) errors.push({ field: 'date', code: 'dateFormat', params: { value: date } });
    else {
      // A coordinator may approve inside the lead time, not on a closed or full day.
      const problem = dayProblem(date, { ...rules, minLeadDays: 0 }, bookings, now);
      if (problem === 'closed') errors.push({ field: 'date', code: 'dateClosed', params: { date } });
      if (problem === 'full') errors.push({ field: 'date', code: 'dateFull', params: { date, next: '' } });
    }
    if (!d.meetingPoint?.trim()) errors.push({ field: 'meetingPoint', code: 'required' });
  } else if (!note) errors.push({ field: 'note', code: 'required' });
  if (note && note.length > 1000) errors.push({ field: 'note', code: 'tooLong', params: { max: 1000 } });
  return errors;
}
