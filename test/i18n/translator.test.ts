import { describe, expect, it } from 'vitest';
import { I18nService } from '../../src/i18n/i18n.js';

describe('the translator for a language', () => {
  const i18n = new I18nService();

  it('answers a bare key the same on every call, and still fills in values', () => {
    const t = i18n.t('th', 'conversation');
    const first = t('feedback.yes');
    expect(first).not.toBe('feedback.yes');
    expect(t('feedback.yes')).toBe(first);
    expect(t('feedback.no')).not.toBe(first);
    const s = i18n.t('en', 'schedule');
    expect(s('set', { course: 'Koban Seminar' })).toContain('Koban Seminar');
    expect(s('set', { course: 'Crime Scene' })).toContain('Crime Scene');
  });

  it('falls back to English for a key with no translation, and to the key when English has none', () => {
    const t = i18n.t('fa');
    expect(t('no.such.key')).toBe('no.such.key');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
