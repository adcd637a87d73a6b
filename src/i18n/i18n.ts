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
 * i18next's own options, which change what `t` looks up (plural and context forms, language,
 * namespace, defaults): a call passing any of them goes to i18next every time.
 */
const T_OPTIONS: ReadonlySet<string> = new Set([
  'lng',
  'lngs',
  'ns',
  'count',
  'context',
  'ordinal',
  'replace',
  'defaultValue',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'keyPrefix',
  'fallbackLng',
  'nsSeparator',
  'keySeparator',
  'missingInterpolationHandler',
]);

/** A marker standing for value `i` while a template is made (no resource text holds NUL). */
const marker = (i: number): string => `\u0000${i}\u0000`;
const MARKER = /\u0000(\d+)\u0000/g;

/** A translation cut at its values: text, value index, text, …, text (odd positions are indexes). */
type Template = Array<string | number>;

/**
 * `t` with its answers remembered: to a bare key (no values) the text, and to a key with values
 * (strings and numbers only, none of i18next's options) the translation cut where the values go,
 * made by i18next itself once with markers for values; later calls only join the pieces with
 * the values. The same text as i18next's: values are put in as they are (`escapeValue` is off and
 * i18next does not read a value again for placeholders, `skipOnVariables`), and the resources
 * never change after loading; a reply looks up the same labels and sentences every turn.
 */
function memoizePlain(t: Translator): Translator {
  const plain = new Map<string, string>();
  const templates = new Map<string, Template | null>();
  // TFunction's overloads cannot be spelled by a wrapper; it forwards every call unchanged.
  const call = t as unknown as (...args: unknown[]) => unknown;
  const withValues = (key: string, values: Record<string, unknown>): unknown => {
    let id = key;
    for (const name in values) {
      const v = values[name];
      if (
        (typeof v !== 'string' && typeof v !== 'number') ||
        T_OPTIONS.has(name) ||
        name.startsWith('defaultValue')
      ) {
        return call(key, values);
      }
      id += `\u0000${name}`;
    }
    let template = templates.get(id);
    if (template === undefined) {
      const markers: Record<string, string> = {};
      let i = 0;
      for (const name in values) markers[name] = marker(i++);
      const made = call(key, markers);
      template = typeof made === 'string' ? cut(made) : null;
      templates.set(id, template);
    }
    if (template === null) return call(key, values);
    const names = Object.keys(values);
    let text = '';
    for (let i = 0; i < template.length; i++) {
      const piece = template[i] as string | number;
      text += typeof piece === 'string' ? piece : String(values[names[piece] as string]);
    }
    return text;
  };
  const wrapped = (key: unknown, ...rest: unknown[]): unknown => {
    if (typeof key !== 'string') return call(key, ...rest);
    if (rest.length === 1 && isPlainObject(rest[0])) return withValues(key, rest[0]);
    if (rest.length > 0) return call(key, ...rest);
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A translation made with markers, as text pieces and value indexes. */
function cut(made: string): Template {
  const out: Template = [];
  let at = 0;
  for (const m of made.matchAll(MARKER)) {
    out.push(made.slice(at, m.index), Number(m[1]));
    at = m.index + m[0].length;
  }
  out.push(made.slice(at));
  return out;
}
