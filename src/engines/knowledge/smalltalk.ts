/**
 * `knowledge/smalltalk/<lang>.yaml`: everyday phrasings of small talk, help and "about the bot"
 * (greeting, thanks, bye, about, help, human, and the Japanese "omawari-san"). The assistant learns
 * them like FAQ entries (a classifier over their words, see src/assistant/smalltalk-match.ts), so
 * an operator adds a wording here and never edits code.
 */
import { z } from 'zod';
import { sanitizeText } from '../../core/text.js';

export const SMALLTALK_KINDS = ['greeting', 'thanks', 'bye', 'about', 'help', 'human', 'omawari'] as const;
export type SmalltalkKind = (typeof SMALLTALK_KINDS)[number];

const phrasings = z.array(
  z
    .union([z.string(), z.number()])
    .transform((v) => sanitizeText(String(v)).trim())
    .pipe(z.string().min(1, 'a phrasing must not be empty').max(200, 'a phrasing is at most 200 characters')),
);

export const smalltalkSchema = z.strictObject({
  greeting: phrasings.optional(),
  thanks: phrasings.optional(),
  bye: phrasings.optional(),
  about: phrasings.optional(),
  help: phrasings.optional(),
  human: phrasings.optional(),
  omawari: phrasings.optional(),
  /**
   * Chat acknowledgements ("ok", "cool", "got it", "sip", "tamam", "باشه", "了解"): around a thanks,
   * greeting or goodbye ("cool thanks", "ok thx a lot", "oke makasih banyak") they leave its kind as it is.
   */
  acknowledgements: phrasings.optional(),
  /**
   * Key phrases of a request for a person inside a longer or negated message ("I need the course
   * coordinator, not a machine"): a `person` with a `not_bot` or a `request`, and no `info` word
   * (a question about a person's contact details is an FAQ question).
   */
  human_cues: z
    .strictObject({
      person: phrasings,
      request: phrasings.optional(),
      not_bot: phrasings.optional(),
      info: phrasings.optional(),
      /**
       * "is anyone there?", "görevli var mı", "มีคนอยู่ไหม": asking whether a person is there, a
       * hand-off in a short message on its own (no person word needed, no `info` word allowed).
       */
      presence: phrasings.optional(),
    })
    .optional(),
});

/** The key phrases of `human_cues` (see the schema). */
export interface HumanCues {
  person: string[];
  request?: string[] | undefined;
  not_bot?: string[] | undefined;
  info?: string[] | undefined;
  presence?: string[] | undefined;
}

export type SmalltalkPhrasings = Partial<Record<SmalltalkKind, string[]>> & {
  human_cues?: HumanCues | undefined;
  acknowledgements?: string[] | undefined;
};
