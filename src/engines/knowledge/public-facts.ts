/**
 * `knowledge/public-facts.yaml`: the numbers an answer may write out itself because they are public
 * facts (emergency numbers, years and figures from the NPA sources, climate), not the center's
 * decisions. Every other digit, time, price or room code in an answer must come from center.yaml
 * through a placeholder, so the operator owns it.
 */
import { z } from 'zod';

const numbers = z.array(z.union([z.string(), z.number()]).transform(String)).default([]);

export const publicFactsSchema = z.strictObject({
  /** Numbers any answer may use (e.g. an emergency number). */
  everywhere: numbers,
  /** Numbers one entry may use, by entry id, with the source in a comment. */
  entries: z.record(z.string(), numbers).default({}),
});

export type PublicFacts = z.infer<typeof publicFactsSchema>;

const PLACEHOLDER_OR_TAG = /\{\{[^}]*\}\}/g;
const NUMBER = /\d+(?:[.,:]\d+)*/g;
const CURRENCY = /[¥$€£₱₫฿₺]/g;
// A room-like code without digits, such as "C-B" (codes with digits are caught as numbers).
const LETTER_CODE = /\b[A-Z]{1,2}-[A-Z]{1,2}\b/g;

/** Any decimal digit (Persian, Thai, full-width …) as its ASCII digit. */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const code = d.codePointAt(0) ?? 0;
    // Decimal digits come in runs of ten from their zero: step back to it.
    for (let zero = code; zero > code - 10; zero--) {
      if (!/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) return String(code - zero);
    }
    return d;
  });
}

/**
 * The specifics in an answer body that do not come from a placeholder and are not allowed public
 * facts: numbers (times and prices included), currency signs and room-like codes.
 */
export function unsourcedSpecifics(body: string, allowed: ReadonlySet<string>): string[] {
  const text = asciiDigits(body.replace(PLACEHOLDER_OR_TAG, ' '));
  const found = [
    ...[...text.matchAll(NUMBER)].map((m) => m[0]).filter((n) => !allowed.has(n)),
    ...[...text.matchAll(CURRENCY)].map((m) => m[0]),
    ...[...text.matchAll(LETTER_CODE)].map((m) => m[0]),
  ];
  return [...new Set(found)];
}

/** The numbers entry `id` may write out. */
export function allowedFor(facts: PublicFacts, id: string): Set<string> {
  return new Set([...facts.everywhere, ...(facts.entries[id] ?? [])]);
}
