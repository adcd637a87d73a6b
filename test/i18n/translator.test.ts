import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/core/languages.js';
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

describe('a translation with values, made once and then filled in', () => {
  const resources = loadResources();
  const plain = i18next.createInstance();
  void plain.init({
    initAsync: false,
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  const placeholders = (value: unknown, path: string, out: Array<[string, string[]]>): void => {
    if (typeof value === 'string') {
      const names = [...value.matchAll(/\{\{(.+?)\}\}/g)].map((m) => (m[1] ?? '').trim());
      if (names.length > 0) out.push([path, [...new Set(names)]]);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) placeholders(v, path ? `${path}.${k}` : k, out);
    }
  };

  it("gives i18next's own text for every key with placeholders, in every language, with awkward values", () => {
    const i18n = new I18nService();
    const awkward = ['{{other}}', '$t(common:help.ask)', 7, 'a\u0000b', '', 0.5];
    let checked = 0;
    for (const [ns, tree] of Object.entries(resources.en ?? {})) {
      const keys: Array<[string, string[]]> = [];
      placeholders(tree, '', keys);
      for (const lang of LANGUAGES) {
        const ours = i18n.t(lang, ns);
        const theirs = plain.getFixedT(lang, ns);
        for (const [key, names] of keys) {
          for (let round = 0; round < 2; round++) {
            const values: Record<string, string | number> = {};
            names.forEach((n, i) => {
              values[n] = awkward[(round + i) % awkward.length] as string | number;
            });
            expect(ours(key, values)).toBe(theirs(key, values));
            checked++;
          }
          // A value left out, and one of i18next's options, go to i18next as before.
          const [first, ...others] = names;
          const some = Object.fromEntries(others.map((n) => [n, 'x']));
          expect(ours(key, some)).toBe(theirs(key, some));
          if (first)
            expect(ours(key, { ...some, [first]: 'y', lng: 'en' })).toBe(
              theirs(key, { ...some, [first]: 'y', lng: 'en' }),
            );
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
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
