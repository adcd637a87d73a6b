/**
 * The visit form as a conversation: the order of the questions, reading one answer from chat text,
 * and details already present in the first message. Pure; the handler keeps the draft in the store.
 */

import type { Bookings } from './capacity.js';
import { isDay } from './dates.js';
import {
  FIELD_KINDS,
  type FieldError,
  INTERESTS,
  type Interest,
  OPTIONAL_FIELDS,
  VISIT_FIELDS,
  type VisitField,
  validateVisitRequest,
} from './request.js';
import type { VisitRules } from './rules.js';

export type DraftData = Partial<Record<VisitField, unknown>>;

/** The step after the last question: confirm and send. */
export const CONFIRM_STEP = VISIT_FIELDS.length;

/** The first question not yet answered at or after `from` (CONFIRM_STEP when all are). */
export function nextStep(data: DraftData, from = 0): number {
  for (let i = from; i < VISIT_FIELDS.length; i++) {
    const field = VISIT_FIELDS[i];
    if (field && !(field in data)) return i;
  }
  return CONFIRM_STEP;
}

/** Reads an answer for `field`; `interestLabels` are the choices as the user sees them. */
export function readAnswer(
  field: VisitField,
  text: string,
  interestLabels: Record<Interest, string>,
  yesNo: 'yes' | 'no' | undefined,
): { value: unknown } | { error: FieldError } {
  const t = text.normalize('NFKC').trim();
  switch (FIELD_KINDS[field]) {
    case 'number':
      return /^\d{1,4}$/.test(t) ? { value: Number(t) } : { error: { field, code: 'groupSizeInvalid' } };
    case 'dates':
      return { value: t.split(/[\s,、，;]+/u).filter(Boolean) };
    case 'yesno':
      return yesNo ? { value: yesNo === 'yes' } : { error: { field, code: 'yesNo' } };
    case 'choices': {
      const picked = new Set<Interest>();
      const lower = t.toLowerCase();
      for (const token of lower.split(/[\s,、，;]+/u)) {
        const n = Number(token);
        const byNumber = Number.isInteger(n) ? INTERESTS[n - 1] : undefined;
        if (byNumber) picked.add(byNumber);
      }
      for (const interest of INTERESTS) {
        if (lower.includes(interest) || lower.includes(interestLabels[interest].toLowerCase()))
          picked.add(interest);
      }
      return picked.size > 0
        ? { value: [...picked] }
        : { error: { field, code: 'interestUnknown', params: { value: t.slice(0, 60) } } };
    }
    default:
      return { value: t };
  }
}

/** Problems with one answer, judged by the same validation as a whole request. */
export function checkAnswer(
  field: VisitField,
  data: DraftData,
  rules: VisitRules,
  bookings: Bookings,
  now: Date,
): FieldError[] {
  const result = validateVisitRequest(data, rules, bookings, now);
  if (result.ok) return [];
  return result.errors.filter(
    (e) => e.field === field && !(e.code === 'required' && OPTIONAL_FIELDS.has(field)),
  );
}

const GROUP =
  /(\d{1,3})\s*(?:people|persons|participants|officers|members|delegates|orang|peserta|人|名|người|คน|katao|tao|kişi|kişilik|نفر)/iu;
const INTEREST_WORDS: Array<[Interest, RegExp]> = [
  ['command-center', /command cent|指令|komando|chỉ huy|บัญชาการ|komuta|فرماندهی/iu],
  ['criminal-id', /criminal ident|forensic|鑑識|identifikasi|giám định|พิสูจน์หลักฐาน|olay yeri|تشخیص هویت/iu],
  ['koban', /koban|交番|โคบัง|کوبان|police box/iu],
];

/** Details a first message already gives ("with 12 people", "a koban"), for the user to confirm. */
export function prefill(text: string): DraftData {
  const data: DraftData = {};
  const t = text.normalize('NFKC');
  const group = GROUP.exec(t);
  if (group?.[1]) data.groupSize = Number(group[1]);
  const interests = INTEREST_WORDS.filter(([, re]) => re.test(t)).map(([i]) => i);
  if (interests.length > 0) data.interests = interests;
  const dates = [...t.matchAll(/\b\d{4}-\d{2}-\d{2}\b/g)].map((m) => m[0]).filter(isDay);
  if (dates.length > 0 && dates.length <= 3) data.preferredDates = dates;
  return data;
}
