import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactPersonalData } from '../../src/stores/redact.js';

/** The five replacements, always (what redactPersonalData did before its shortcut). */
function everyPass(text: string): string {
  const dates: string[] = [];
  const masked = text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu, REDACTED.email)
    .replace(/\p{Nd}{4}[-/.]\p{Nd}{1,2}[-/.]\p{Nd}{1,2}(?!\p{Nd})/gu, (d) => {
      dates.push(d);
      return '\u{F0000}';
    });
  return masked
    .replace(/(?:\+|＋)?[(（]?\p{Nd}(?:[\s().（）\-‐–－]*\p{Nd}){7,}/gu, REDACTED.phone)
    .replace(/\p{Nd}{6,}/gu, REDACTED.number)
    .replace(/\u{F0000}/gu, () => dates.shift() ?? '');
}

describe('redactPersonalData', () => {
  it('removes e-mail addresses, phone and long numbers, and keeps dates', () => {
    expect(
      redactPersonalData('mail me at a.b@example.org or +81 3-1234-5678, card 1234567, on 2027-01-20'),
    ).toBe('mail me at [email] or [phone], card [number], on 2027-01-20');
    expect(redactPersonalData('電話は０３１２３４５６７８です')).toBe('電話は[phone]です');
  });

  it('gives what the five replacements give, for any text (texts with nothing to find are returned as they are)', () => {
    const pieces = fc.constantFrom(
      'a',
      'é',
      ' ',
      '@',
      '.',
      '-',
      '+',
      '(',
      '1',
      '٣',
      '２',
      'com',
      'x.y',
      '\u{F0000}',
      'ก',
      '交',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 30 }).map((p) => p.join('')),
        (text) => {
          expect(redactPersonalData(text)).toBe(everyPass(text));
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(redactPersonalData(text)).toBe(everyPass(text));
      }),
      { numRuns: 2000 },
    );
  });
});
