/**
 * A delegation's visit request: its fields, and one validation used by every way in (chat form,
 * Slack and Discord modals, `koban visits submit`). Problems come back as codes per field, with the
 * values to show; callers translate them (locales/<lang>/visits.json, `errors.<code>`).
 */
import { z } from 'zod';
import { type Bookings, dayProblem, earliestDay, nextFreeDays } from './capacity.js';
import { isDay } from './dates.js';
import type { VisitRules } from './rules.js';

export const INTERESTS = ['koban', 'command-center', 'criminal-id', 'other'] as const;
export type Interest = (typeof INTERESTS)[number];

export const VISIT_FIELDS = [
  'organization',
  'country',
  'contactName',
  'contactEmail',
  'groupSize',
  'preferredDates',
  'interests',
  'language',
  'interpreter',
  'needs',
  'notes',
] as const;
export type VisitField = (typeof VISIT_FIELDS)[number];

/** How a form shows each field. */
export const FIELD_KINDS: Record<
  VisitField,
  'text' | 'email' | 'number' | 'dates' | 'choices' | 'yesno' | 'long'
> = {
  organization: 'text',
  country: 'text',
  contactName: 'text',
  contactEmail: 'email',
  groupSize: 'number',
  preferredDates: 'dates',
  interests: 'choices',
  language: 'text',
  interpreter: 'yesno',
  needs: 'long',
  notes: 'long',
};

export const OPTIONAL_FIELDS: ReadonlySet<VisitField> = new Set(['needs', 'notes']);

export interface VisitRequestInput {
  organization: string;
  country: string;
  contactName: string;
  contactEmail: string;
  groupSize: number;
  preferredDates: string[];
  interests: Interest[];
  language: string;
  interpreter: boolean;
  needs?: string;
  notes?: string;
}

export type ErrorCode =
  | 'required'
  | 'tooLong'
  | 'email'
  | 'groupSizeInvalid'
  | 'groupSizeMax'
  | 'datesCount'
  | 'dateFormat'
  | 'dateTooSoon'
  | 'dateClosed'
  | 'dateFull'
  | 'interestUnknown'
  | 'yesNo'
  | 'unknownField'
  | 'invalidJson';

export interface FieldError {
  field: VisitField | string;
  code: ErrorCode;
  params?: Record<string, string | number>;
}

export type Validation = { ok: true; request: VisitRequestInput } | { ok: false; errors: FieldError[] };

const text = (max: number) => z.string().trim().min(1).max(max);
const SHORT = 200;
const LONG = 1000;

function textField(field: VisitField, value: unknown, max: number, errors: FieldError[]): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (!OPTIONAL_FIELDS.has(field)) errors.push({ field, code: 'required' });
    return undefined;
  }
  const parsed = text(max).safeParse(value);
  if (parsed.success) return parsed.data;
  errors.push(
    typeof value === 'string' ? { field, code: 'tooLong', params: { max } } : { field, code: 'required' },
  );
  return undefined;
}

/**
 * Checks a request against the center's rules at `now`; `bookings` are the visits already approved
 * per day. Every problem is reported, not only the first.
 */
export function validateVisitRequest(
  raw: unknown,
  rules: VisitRules,
  bookings: Bookings,
  now: Date,
): Validation {
  const errors: FieldError[] = [];
  const input = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!input.success) return { ok: false, errors: [{ field: 'organization', code: 'required' }] };
  const v = input.data;
  for (const key of Object.keys(v)) {
    if (!(VISIT_FIELDS as readonly string[]).includes(key)) errors.push({ field: key, code: 'unknownField' });
  }

  const organization = textField('organization', v.organization, SHORT, errors);
  const country = textField('country', v.country, SHORT, errors);
  const contactName = textField('contactName', v.contactName, SHORT, errors);
  const language = textField('language', v.language, SHORT, errors);
  const needs = textField('needs', v.needs, LONG, errors);
  const notes = textField('notes', v.notes, LONG, errors);

  let contactEmail = textField('contactEmail', v.contactEmail, SHORT, errors);
  if (contactEmail !== undefined && !z.email().safeParse(contactEmail).success) {
    errors.push({ field: 'contactEmail', code: 'email' });
    contactEmail = undefined;
  }

  let groupSize: number | undefined;
  if (v.groupSize === undefined || v.groupSize === '' || v.groupSize === null) {
    errors.push({ field: 'groupSize', code: 'required' });
  } else {
    const n = z.coerce.number().int().min(1).safeParse(v.groupSize);
    if (!n.success) errors.push({ field: 'groupSize', code: 'groupSizeInvalid' });
    else if (n.data > rules.maxGroupSize)
      errors.push({ field: 'groupSize', code: 'groupSizeMax', params: { max: rules.maxGroupSize } });
    else groupSize = n.data;
  }

  let preferredDates: string[] | undefined;
  const dates = z.array(z.string()).safeParse(v.preferredDates);
  if (!dates.success || dates.data.length === 0) {
    errors.push({
      field: 'preferredDates',
      code: dates.success || v.preferredDates === undefined ? 'required' : 'dateFormat',
      ...(dates.success ? {} : { params: { value: String(v.preferredDates) } }),
    });
  } else {
    const unique = [...new Set(dates.data.map((d) => d.trim()))];
    if (unique.length > rules.maxPreferredDates) {
      errors.push({ field: 'preferredDates', code: 'datesCount', params: { max: rules.maxPreferredDates } });
    } else {
      const before = errors.length;
      for (const day of unique) {
        if (!isDay(day)) {
          errors.push({ field: 'preferredDates', code: 'dateFormat', params: { value: day } });
          continue;
        }
        const problem = dayProblem(day, rules, bookings, now);
        if (problem === 'tooSoon')
          errors.push({
            field: 'preferredDates',
            code: 'dateTooSoon',
            params: { date: day, earliest: earliestDay(rules, now), days: rules.minLeadDays },
          });
        else if (problem === 'closed')
          errors.push({ field: 'preferredDates', code: 'dateClosed', params: { date: day } });
        else if (problem === 'full')
          errors.push({
            field: 'preferredDates',
            code: 'dateFull',
            params: { date: day, next: nextFreeDays(day, rules, bookings, now).join(', ') },
          });
      }
      if (errors.length === before) preferredDates = unique.sort();
    }
  }

  let interests: Interest[] | undefined;
  const list = z.array(z.string()).safeParse(v.interests);
  if (!list.success || list.data.length === 0) errors.push({ field: 'interests', code: 'required' });
  else {
    const unknown = list.data.filter((i) => !(INTERESTS as readonly string[]).includes(i));
    if (unknown.length > 0)
      errors.push({ field: 'interests', code: 'interestUnknown', params: { value: unknown.join(', ') } });
    else interests = [...new Set(list.data as Interest[])];
  }

  let interpreter: boolean | undefined;
  if (typeof v.interpreter === 'boolean') interpreter = v.interpreter;
  else errors.push({ field: 'interpreter', code: v.interpreter === undefined ? 'required' : 'yesNo' });

  if (
    errors.length > 0 ||
    organization === undefined ||
    country === undefined ||
    contactName === undefined ||
    contactEmail === undefined ||
    groupSize === undefined ||
    preferredDates === undefined ||
    interests === undefined ||
    language === undefined ||
    interpreter === undefined
  )
    return { ok: false, errors };
  return {
    ok: true,
    request: {
      organization,
      country,
      contactName,
      contactEmail,
      groupSize,
      preferredDates,
      interests,
      language,
      interpreter,
      ...(needs !== undefined ? { needs } : {}),
      ...(notes !== undefined ? { notes } : {}),
    },
  };
}
