/**
 * Buttons and menus carry the user's action in their `custom_id` (at most 100 characters):
 * `koban:faq:<entryId>`, `koban:lang:<lang>`, `koban:course:<courseId>`, `koban:visit:start`,
 * `koban:say:<text>`, `koban:decide:<kind>:<ref>` (a coordinator's decision), `koban:fb:<yes|no>:<entryId>`
 * ("helpful?" under an answer), `koban:ok:<A-17>` ("OK, got it" under an announcement), and the language menu
 * `koban:pick-lang` whose chosen value is a language code. Clicks are validated before use.
 */
import { z } from 'zod';
import { LANGUAGES } from '../../core/languages.js';
import type { UserAction } from '../../core/message.js';
import { ENTRY_ID } from '../../engines/knowledge/faq-entry.js';

const PREFIX = 'koban';
export const MAX_CUSTOM_ID = 100;
/** The custom_id of the language select menu. */
export const LANGUAGE_MENU_ID = `${PREFIX}:pick-lang`;

/** A menu button's text: short, printable, no line breaks. */
const sayText = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{M}\p{N}\p{P}\p{Zs}\p{S}]+$/u);

const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('faq'), entryId: z.string().max(80).regex(ENTRY_ID) }),
  z.object({ type: z.literal('language'), lang: z.enum(LANGUAGES) }),
  z.object({
    type: z.literal('course'),
    courseId: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[\p{L}\p{N}_.:-]+$/u),
  }),
  z.object({ type: z.literal('visit') }),
  z.object({
    type: z.literal('feedback'),
    entryId: z.string().max(80).regex(ENTRY_ID),
    helpful: z.boolean(),
  }),
  z.object({ type: z.literal('say'), text: sayText }),
  z.object({
    type: z.literal('visit-decide'),
    ref: z.string().regex(/^V-\d{4}-\d{1,6}$/),
    kind: z.enum(['approve', 'decline', 'needs-info']),
  }),
  z.object({ type: z.literal('announce-confirm'), ref: z.string().regex(/^A-\d{1,9}$/) }),
]);

const TAGS = {
  faq: 'faq',
  language: 'lang',
  course: 'course',
  visit: 'visit',
  say: 'say',
  'visit-decide': 'decide',
  feedback: 'fb',
  'announce-confirm': 'ok',
} as const;

/** The custom_id for an action, or undefined when the action cannot fit or is not valid. */
export function encodeAction(action: UserAction): string | undefined {
  const parsed = actionSchema.safeParse(action);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  const value =
    a.type === 'faq'
      ? a.entryId
      : a.type === 'language'
        ? a.lang
        : a.type === 'course'
          ? a.courseId
          : a.type === 'say'
            ? a.text
            : a.type === 'visit-decide'
              ? `${a.kind}:${a.ref}`
              : a.type === 'feedback'
                ? `${a.helpful ? 'yes' : 'no'}:${a.entryId}`
                : a.type === 'announce-confirm'
                  ? a.ref
                  : 'start';
  const id = `${PREFIX}:${TAGS[a.type]}:${value}`;
  return id.length <= MAX_CUSTOM_ID ? id : undefined;
}

/** The action behind a clicked button, or undefined for a stale, foreign or tampered custom_id. */
export function decodeAction(customId: string): UserAction | undefined {
  const m = /^koban:(faq|lang|course|visit|say|decide|fb|ok):(.+)$/u.exec(customId);
  if (!m?.[1] || m[2] === undefined) return undefined;
  const value = m[2];
  const candidate =
    m[1] === 'faq'
      ? { type: 'faq', entryId: value }
      : m[1] === 'lang'
        ? { type: 'language', lang: value }
        : m[1] === 'course'
          ? { type: 'course', courseId: value }
          : m[1] === 'say'
            ? { type: 'say', text: value }
            : m[1] === 'decide'
              ? { type: 'visit-decide', kind: value.split(':')[0], ref: value.split(':')[1] }
              : m[1] === 'fb'
                ? {
                    type: 'feedback',
                    helpful: value.startsWith('yes:'),
                    entryId: value.replace(/^(yes|no):/, ''),
                  }
                : m[1] === 'ok'
                  ? { type: 'announce-confirm', ref: value }
                  : value === 'start'
                    ? { type: 'visit' }
                    : undefined;
  const parsed = actionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The action of the language menu's chosen value. */
export function decodeLanguageChoice(values: readonly string[]): UserAction | undefined {
  const lang = z.enum(LANGUAGES).safeParse(values[0]);
  return lang.success ? { type: 'language', lang: lang.data } : undefined;
}
