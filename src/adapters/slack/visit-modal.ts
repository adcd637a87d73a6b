/**
 * The neutral visit form as a Slack modal (`views.open`), and a `view_submission` read back into
 * form values. Validation is not here: the values go to `VisitForms.submit`, like every way in.
 */
import { z } from 'zod';
import type { FormValues } from '../../assistant/visit-form.js';
import { LANGUAGES } from '../../core/languages.js';
import type { FormField, ReplyForm } from '../../core/reply.js';
import { VISIT_FIELDS } from '../../engines/visits/request.js';

export const VISIT_CALLBACK_ID = 'koban_visit';
export const DECISION_CALLBACK_ID = 'koban_visit_decision';
const VALUE = 'value';

/** Slack's limits for modal text (title, submit and close at most 24 characters). */
export const short = (s: string, max = 24): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
export const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: short(text, max) });

/** What the modal remembers between opening and submitting. */
export const modalMetadataSchema = z.object({
  lang: z.enum(LANGUAGES),
  channel: z.string().max(64).optional(),
  ref: z.string().max(20).optional(),
  kind: z.enum(['approve', 'decline', 'needs-info']).optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

function element(field: FormField, yesNo: { yes: string; no: string }): Record<string, unknown> {
  const action_id = VALUE;
  if (field.kind === 'choices') {
    const options = (field.choices ?? []).map((c) => ({ text: plain(c.label, 75), value: c.value }));
    return { type: 'checkboxes', action_id, options };
  }
  if (field.kind === 'yesno') {
    const options = (['yes', 'no'] as const).map((v) => ({ text: plain(yesNo[v], 75), value: v }));
    return { type: 'radio_buttons', action_id, options };
  }
  return {
    type: 'plain_text_input',
    action_id,
    ...(field.kind === 'long' ? { multiline: true, max_length: 1000 } : { max_length: 200 }),
    ...(field.value ? { initial_value: field.value } : {}),
    ...(field.hint ? { placeholder: plain(field.hint, 150) } : {}),
  };
}

/** The modal for `views.open`; `yesNo` are the radio labels in the user's language. */
export function renderVisitModal(
  form: ReplyForm,
  meta: ModalMetadata,
  labels: { yes: string; no: string; close: string },
): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: form.id === 'visit' ? VISIT_CALLBACK_ID : DECISION_CALLBACK_ID,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain(labels.close, 24),
    private_metadata: JSON.stringify(meta),
    blocks: form.fields.map((field) => ({
      type: 'input',
      block_id: field.name,
      optional: !field.required,
      label: plain(field.label, 2000),
      element: element(field, labels),
    })),
  };
}

const option = z.object({ value: z.string().max(100) });
const stateValue = z.object({
  type: z.string(),
  value: z.string().max(4000).nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).max(20).optional(),
});

/** A `view_submission` payload, the parts the adapter reads. */
export const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user: z.object({
    id: z.string().regex(/^[A-Z0-9]{2,32}$/),
    username: z.string().max(80).optional(),
    name: z.string().max(80).optional(),
  }),
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValue)) }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

/** The metadata a modal was opened with; undefined when missing or not ours. */
export function readMetadata(raw: string): ModalMetadata | undefined {
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The submitted values per field; unknown blocks are ignored. */
export function readVisitValues(view: ViewSubmission['view']): FormValues {
  return readModalValues(view, VISIT_FIELDS) as FormValues;
}

/** The submitted values of the blocks named `fields`. */
export function readModalValues(
  view: ViewSubmission['view'],
  fields: readonly string[],
): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const field of fields) {
    const v = view.state.values[field]?.[VALUE];
    if (!v) continue;
    if (v.selected_options) values[field] = v.selected_options.map((o) => o.value);
    else if (v.selected_option) values[field] = v.selected_option.value;
    else if (typeof v.value === 'string') values[field] = v.value;
  }
  return values;
}

/** Errors for `response_action: errors`: one message per block (field), the first per field. */
export function modalErrors(
  errors: Array<{ field: string; message: string }>,
  blocks: readonly string[] = VISIT_FIELDS,
): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = new Set<string>(blocks);
  for (const e of errors) {
    const block = fields.has(e.field) ? e.field : (blocks[0] ?? e.field);
    out[block] = out[block] ? `${out[block]} ${e.message}` : e.message;
  }
  return out;
}
