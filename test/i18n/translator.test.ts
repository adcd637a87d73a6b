import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { I18nService, loadResources } from '../../src/i18n/i18n.js';

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

describe('loading the locale files', () => {
  it('takes nested strings and refuses a file with another value, naming the file and where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-locales-'));
    mkdirSync(join(dir, 'en'));
    writeFileSync(join(dir, 'en', 'common.json'), JSON.stringify({ a: 'A', b: { c: 'C' } }));
    expect(loadResources(dir)).toEqual({ en: { common: { a: 'A', b: { c: 'C' } } } });
    writeFileSync(join(dir, 'en', 'common.json'), JSON.stringify({ a: 'A', b: { c: 3 } }));
    expect(() => loadResources(dir)).toThrow(/common\.json[\s\S]*at b/);
    writeFileSync(join(dir, 'en', 'common.json'), JSON.stringify({ a: ['A'] }));
    expect(() => loadResources(dir)).toThrow(/common\.json/);
  });
});
