/**
 * UI text through i18next: `locales/<lang>/<namespace>.json`, one pre-bound translator per language.
 * A missing translation falls back to English, never to the key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { z } from 'zod';
import { DEFAULT_LANG, LANGUAGES, type Lang } from '../core/languages.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

export const LOCALES_DIR = join(PACKAGE_ROOT, 'locales');

type Resource = { [key: string]: string | Resource };
const resourceSchema: z.ZodType<Resource> = z.lazy(() =>
  z.record(z.string(), z.union([z.string(), resourceSchema])),
);

export type Translator = TFunction;

/** What `resourceSchema` accepts: an object whose values are strings or such objects. */
function isResource(value: unknown): value is Resource {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string' && !isResource(v)) return false;
  return true;
}

/** Loads every namespace of every supported language from `dir`; a broken file throws with its name. */
export function loadResources(dir: string = LOCALES_DIR): Record<string, Record<string, Resource>> {
  const resources: Record<string, Record<string, Resource>> = {};
  for (const lang of LANGUAGES) {
    const langDir = join(dir, lang);
    if (!existsSync(langDir)) continue;
    const namespaces: Record<string, Resource> = {};
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      const path = join(langDir, file);
      const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
      // The same check as the schema, without zod's cost at every start; zod explains a failure.
      if (isResource(json)) {
        namespaces[file.replace(/\.json$/, '')] = json;
        continue;
      }
      const parsed = resourceSchema.safeParse(json);
      if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
      namespaces[file.replace(/\.json$/, '')] = parsed.data;
    }
    resources[lang] = namespaces;
  }
  return resources;
}

export class I18nService {
  private readonly instance: I18n;
  private readonly fixed = new Map<string, Translator>();

  constructor(dir: string = LOCALES_DIR) {
    const resources = loadResources(dir);
    this.instance = i18next.createInstance();
    void this.instance.init({
      initAsync: false,
      resources,
      lng: DEFAULT_LANG,
      fallbackLng: DEFAULT_LANG,
      supportedLngs: [...LANGUAGES],
      ns: Object.keys(resources[DEFAULT_LANG] ?? { common: {} }),
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      returnNull: false,
      returnEmptyString: false,
    });
  }

  /** The translator for one language (and namespace), cached. */
  t(lang: Lang, ns = 'common'): Translator {
    const key = `${lang}:${ns}`;
    let t = this.fixed.get(key);
    if (!t) {
      t = memoizePlain(this.instance.getFixedT(lang, ns));
      this.fixed.set(key, t);
    }
    return t;
  }

  /** True when `key` exists in English: every UI key must. */
  has(key: string, ns = 'common'): boolean {
    return this.instance.exists(key, { lng: DEFAULT_LANG, ns });
  }
}

/**
 * `t` with its answers to a bare key (no values) remembered: the resources never change after
 * loading, and a reply looks up the same labels every turn ("yes", "no").
 */
function memoizePlain(t: Translator): Translator {
  const plain = new Map<string, string>();
  // TFunction's overloads cannot be spelled by a wrapper; it forwards every call unchanged.
  const call = t as unknown as (...args: unknown[]) => unknown;
  const wrapped = (key: unknown, ...rest: unknown[]): unknown => {
    if (rest.length > 0 || typeof key !== 'string') return call(key, ...rest);
    let text = plain.get(key);
    if (text === undefined) {
      const found = call(key);
      if (typeof found !== 'string') return found;
      text = found;
      plain.set(key, text);
    }
    return text;
  };
  return Object.assign(wrapped, t) as unknown as Translator;
}
