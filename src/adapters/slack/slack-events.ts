/**
 * The parts of Slack's payloads the adapter reads, validated at the edge (Events API `message` and
 * `app_mention`, slash commands, `block_actions`), and the JSON carried in button values.
 */
import { z } from 'zod';
import { LANGUAGES } from '../../core/languages.js';

const id = z.string().min(1).max(64);
/** User ids are shown back as `<@U…>` (share notes): only Slack's id alphabet is accepted. */
const userId = z.string().regex(/^[A-Z0-9]{2,32}$/);
const ts = z.string().regex(/^\d+(?:\.\d+)?$/);

/** A `message` event (message.im, message.channels, message.groups). */
export const messageEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: id,
  channel_type: z.string().optional(),
  user: userId.optional(),
  bot_id: z.string().optional(),
  app_id: z.string().optional(),
  text: z.string().optional(),
  ts,
  thread_ts: ts.optional(),
  edited: z.unknown().optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

/** An `app_mention` event: someone wrote `@koban …` in a channel the bot is in. */
export const appMentionSchema = z.object({
  type: z.literal('app_mention'),
  channel: id,
  user: userId.optional(),
  bot_id: z.string().optional(),
  text: z.string(),
  ts,
  thread_ts: ts.optional(),
  edited: z.unknown().optional(),
});
export type AppMentionEvent = z.infer<typeof appMentionSchema>;

/** A slash command invocation. */
export const commandSchema = z.object({
  command: z.string().regex(/^\/[\w-]+$/),
  text: z.string().max(4000).default(''),
  user_id: userId,
  channel_id: id,
  response_url: z.url().optional(),
  trigger_id: z.string().optional(),
});
export type SlashCommand = z.infer<typeof commandSchema>;

/** A `block_actions` payload: a button was clicked. */
export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: userId }),
  channel: z.object({ id }).optional(),
  container: z
    .object({
      type: z.string().optional(),
      channel_id: id.optional(),
      message_ts: ts.optional(),
      thread_ts: ts.optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  response_url: z.url().optional(),
  trigger_id: z.string().max(200).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        type: z.string().optional(),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

const safeId = z.string().regex(/^[\w.-]{1,120}$/);

/** The `UserAction` a button carries (a "did you mean" entry, a language, a course). */
export const userActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('faq'), entryId: safeId }),
  z.object({ type: z.literal('language'), lang: z.enum(LANGUAGES) }),
  z.object({ type: z.literal('course'), courseId: safeId }),
  z.object({ type: z.literal('visit') }),
  z.object({ type: z.literal('feedback'), entryId: safeId, helpful: z.boolean() }),
  z.object({
    type: z.literal('visit-decide'),
    ref: z.string().regex(/^V-\d{4}-\d{1,6}$/),
    kind: z.enum(['approve', 'decline', 'needs-info']),
  }),
  z.object({ type: z.literal('announce-confirm'), ref: z.string().regex(/^A-\d{1,9}$/) }),
  z.object({
    type: z.literal('say'),
    text: z
      .string()
      .min(1)
      .max(60)
      .regex(/^[^\p{Cc}\p{Cf}]+$/u),
  }),
]);

/** "Share in channel" on an ephemeral answer: what to ask again, visibly this time. */
export const shareValueSchema = z.object({
  type: z.literal('share'),
  text: z.string().max(1800),
  action: userActionSchema.optional(),
});
export type ShareValue = z.infer<typeof shareValueSchema>;

/** Confirm / Cancel under an `/announce` preview: the draft the coordinator saw. */
const draft = { draft: z.string().regex(/^[0-9a-f]{12}$/), lang: z.enum(LANGUAGES) };
export const announceButtonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('announce-send'), ...draft }),
  z.object({ type: z.literal('announce-drop'), ...draft }),
]);
export type AnnounceButton = z.infer<typeof announceButtonSchema>;

export const buttonValueSchema = z.union([userActionSchema, shareValueSchema, announceButtonSchema]);
export type ButtonValue = z.infer<typeof buttonValueSchema>;

/** Parses a button's `value`; undefined when it is not one of ours. */
export function parseButtonValue(value: string | undefined): ButtonValue | undefined {
  if (!value) return undefined;
  try {
    const parsed = buttonValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
