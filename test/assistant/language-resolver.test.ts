import { describe, expect, it } from 'vitest';
import { resolveLanguageWithLookup } from '../../src/assistant/language-resolver.js';
import type { IncomingMessage } from '../../src/core/message.js';

/** A message whose platform locale is asked for through `localeLookup`, counting the look-ups. */
function message(locale: string | undefined, extra: Partial<IncomingMessage> = {}) {
  const asked = { count: 0 };
  const msg: IncomingMessage = {
    platform: 'slack',
    userId: 'U0LOOKUP01',
    text: 'koban',
    direct: true,
    localeLookup: async () => {
      asked.count++;
      return locale;
    },
    ...extra,
  };
  return { msg, asked };
}

describe('the language of a turn with the platform locale asked for on demand', () => {
  it('asks for the locale when the message is unclear and the user has no stored language', async () => {
    const { msg, asked } = message('th-TH');
    expect(await resolveLanguageWithLookup(msg, { lang: 'en', confident: false }, {})).toBe('th');
    expect(asked.count).toBe(1);
  });

  it('does not ask when the message says its language, the user stored one, or the hint is given', async () => {
    const clear = message('th-TH');
    expect(await resolveLanguageWithLookup(clear.msg, { lang: 'ja', confident: true }, {})).toBe('ja');
    const stored = message('th-TH');
    expect(
      await resolveLanguageWithLookup(stored.msg, { lang: 'en', confident: false }, { detectedLang: 'vi' }),
    ).toBe('vi');
    const chosen = message('th-TH');
    expect(
      await resolveLanguageWithLookup(chosen.msg, { lang: 'en', confident: false }, { lang: 'fa' }),
    ).toBe('fa');
    const hinted = message('th-TH', { localeHint: 'id-ID' });
    expect(await resolveLanguageWithLookup(hinted.msg, { lang: 'en', confident: false }, {})).toBe('id');
    expect([clear, stored, chosen, hinted].map((m) => m.asked.count)).toEqual([0, 0, 0, 0]);
  });

  it('falls back to the weak detection when the platform does not know the locale', async () => {
    const { msg, asked } = message(undefined);
    expect(await resolveLanguageWithLookup(msg, { lang: 'tl', confident: false }, {})).toBe('tl');
    expect(asked.count).toBe(1);
  });
});
