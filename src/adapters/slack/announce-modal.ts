/**
 * The neutral `/announce` form as a Slack modal, and the preview message with Confirm and Cancel.
 * Validation is not here: the values go to `AnnounceForms`, which uses the service's own schema.
 */
import type { AnnounceValues } from '../../assistant/announce-form.js';
import { ANNOUNCE_FIELDS } from '../../assistant/announce-form.js';
import type { Lang } from '../../core/languages.js';
import type { FormField, ReplyForm } from '../../core/reply.js';
import { ACTION_PREFIX, type SlackMessage } from './block-kit.js';
import { escapeSlack } from './escape.js';
import type { AnnounceButton } from './slack-events.js';
import { plain, readModalValues, short, type ViewSubmission } from './visit-modal.js';

export const ANNOUNCE_CALLBACK_ID = 'koban_announce';
const VALUE = 'value';

function element(field: FormField): Record<string, unknown> {
  if (field.kind === 'choices') {
    const options = (field.choices ?? []).map((c) => ({ text: plain(c.label, 75), value: c.value }));
    const initial = options.find((o) => o.value === field.value);
    return {
      type: 'radio_buttons',
      action_id: VALUE,
      options,
      ...(initial ? { initial_option: initial } : {}),
    };
  }
  return {
    type: 'plain_text_input',
    action_id: VALUE,
    ...(field.kind === 'long' ? { multiline: true, max_length: 3000 } : { max_length: 200 }),
    ...(field.hint ? { placeholder: plain(field.hint, 150) } : {}),
  };
}

/** The modal for `views.open`; the metadata remembers the coordinator's language. */
export function renderAnnounceModal(form: ReplyForm, lang: Lang, close: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: ANNOUNCE_CALLBACK_ID,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain(close, 24),
    private_metadata: JSON.stringify({ lang }),
    blocks: form.fields.map((field) => ({
      type: 'input',
      block_id: field.name,
      optional: !field.required,
      label: plain(field.label, 2000),
      element: element(field),
    })),
  };
}

/** The submitted values of the announcement modal. */
export function readAnnounceValues(view: ViewSubmission['view']): AnnounceValues {
  const read = readModalValues(view, ANNOUNCE_FIELDS);
  const out: AnnounceValues = {};
  for (const f of ANNOUNCE_FIELDS) {
    const v = read[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

/** The preview with Confirm and Cancel, for the coordinator's direct messages. */
export function renderAnnouncePreview(
  text: string,
  draft: string,
  lang: Lang,
  labels: { confirm: string; cancel: string },
): SlackMessage {
  const escaped = escapeSlack(text);
  const button = (type: AnnounceButton['type'], label: string, style: 'primary' | 'danger') => ({
    type: 'button',
    action_id: `${ACTION_PREFIX}${type.replace('-', '_')}`,
    style,
    text: plain(label, 75),
    value: JSON.stringify({ type, draft, lang } satisfies AnnounceButton),
  });
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: short(escaped, 3000) } },
    {
      type: 'actions',
      elements: [
        button('announce-send', labels.confirm, 'primary'),
        button('announce-drop', labels.cancel, 'danger'),
      ],
    },
  ];
  // Built as plain objects (Slack's button `style` and `value`); the shape is Block Kit's.
  return { text: short(escaped, 3000), blocks: blocks as unknown as SlackMessage['blocks'] };
}
