/**
 * `knowledge/language-hints/<lang>.yaml`: function words and chat spellings that mark a short
 * message mixing English words with a few words of another language ("toilet dmn ya" is
 * Indonesian, "wifi pwd po" Tagalog, "lich hoc hom nay" Vietnamese typed without diacritics).
 */
import { z } from 'zod';
import { foldDiacritics, sanitizeText } from '../../core/text.js';

const hintWord = z
  .union([z.string(), z.number()])
  .transform((v) => foldDiacritics(sanitizeText(String(v)).toLowerCase()).trim())
  .pipe(
    z
      .string()
      .min(1, 'a word must not be empty')
      .regex(/^[\p{L}\p{M}\p{N}' ]+$/u, 'write letters only (a phrase may have spaces)'),
  );

export const languageHintsSchema = z.strictObject({
  words: z.array(hintWord),
  /**
   * Words another of our languages uses too ("ko" is Tagalog and Vietnamese, "saat" Turkish and
   * Persian): they count only beside one of `words`.
   */
  weak: z.array(hintWord).default([]),
});

/** One language's hints as loaded. */
export interface HintWords {
  readonly words: readonly string[];
  readonly weak?: readonly string[];
}
