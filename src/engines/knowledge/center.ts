/**
 * `knowledge/center.yaml`: the one place for every detail the center decides (contacts, times,
 * services, rules). A value that readers see in their own language is a map from language code to
 * text, with `en` required (`absence_notice: { en: "by 08:30 on the same day", ja: "当日08:30まで" }`);
 * an answer shows the value in its own language, else the English one. The top-level `confirmed:`
 * list names the values the operator has checked; every other value is an unconfirmed example.
 */
import { z } from 'zod';
import { isLang, type Lang } from '../../core/languages.js';
import { reminderSettingsSchema } from '../reminders/settings.js';
import { visitRulesSchema } from '../visits/rules.js';
import type { ProblemList } from './problems.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
type Tree = { [key: string]: z.infer<typeof scalar> | Tree };
const tree: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([scalar, tree])));

/** Text that readers see: one string, or one per language with English required. */
const shownText = z.union([
  z.string(),
  z.record(z.string(), z.string()).refine((m) => typeof m.en === 'string', {
    message: 'a value given per language needs at least "en"',
  }),
]);

const contact = z.looseObject({
  name: shownText.optional(),
  email: z.email().optional(),
  phone: z.string().optional(),
});

export const centerSchema = z.looseObject({
  center: z.looseObject({ name: z.string().min(1), address: z.string().min(1) }),
  contacts: z.record(z.string(), contact),
  emergency: z.looseObject({ police: z.string(), fire_ambulance: z.string() }),
  // Visit rules (src/engines/visits/rules.ts); optional, with the first release's values as defaults.
  visits: visitRulesSchema.optional(),
  // Default reminder settings for every course (src/engines/reminders/settings.ts).
  reminders: reminderSettingsSchema.optional(),
});

export type CenterData = Tree;

/** The key of the list of confirmed value paths; it is not a value itself. */
export const CONFIRMED_KEY = 'confirmed';

const confirmedSchema = z
  .array(z.string().regex(/^[\w-]+(?:\.[\w-]+)*$/, 'write a path like "contacts.visits.email"'))
  .default([]);

function withoutConfirmed(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { [CONFIRMED_KEY]: _list, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** Validates the parsed YAML; returns the data, or undefined after recording every problem. */
export function parseCenter(raw: unknown, file: string, problems: ProblemList): CenterData | undefined {
  const shape = centerSchema.safeParse(withoutConfirmed(raw));
  const values = tree.safeParse(withoutConfirmed(raw));
  if (!shape.success || !values.success) {
    for (const issue of [...(shape.error?.issues ?? []), ...(values.error?.issues ?? [])]) {
      const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
      problems.error(
        file,
        `${where}${issue.message}; fix this value (values are text or numbers, grouped in sections)`,
      );
    }
    return undefined;
  }
  return values.data;
}

/**
 * The `confirmed:` list: paths of values (or whole sections) the operator has checked. A path that
 * names nothing in `center` is an error, so a typo cannot hide an unconfirmed value.
 */
export function parseConfirmed(
  raw: unknown,
  center: CenterData,
  file: string,
  problems: ProblemList,
): string[] {
  const list =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[CONFIRMED_KEY] : undefined;
  const parsed = confirmedSchema.safeParse(list);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length ? `.${issue.path.map(String).join('.')}` : '';
      problems.error(
        file,
        `${CONFIRMED_KEY}${where}: ${issue.message}; list the paths of values you have checked`,
      );
    }
    return [];
  }
  const known = valuePaths(center);
  for (const path of parsed.data) {
    if (!known.some((p) => p === path || p.startsWith(`${path}.`))) {
      problems.error(
        file,
        `${CONFIRMED_KEY}: "${path}" is not a value in this file; fix the path or remove it`,
      );
    }
  }
  return parsed.data;
}

/** Every value's path (a value given per language counts once), in file order. */
export function valuePaths(center: CenterData): string[] {
  const out: string[] = [];
  const walk = (node: CenterData, prefix: string): void => {
    for (const [key, child] of Object.entries(node)) {
      const here = prefix ? `${prefix}.${key}` : key;
      if (typeof child === 'object' && !isLocalized(child)) walk(child, here);
      else out.push(here);
    }
  };
  walk(center, '');
  return out;
}

/** The values not covered by a confirmed path (the path itself or a section holding it). */
export function unconfirmedPaths(center: CenterData, confirmed: readonly string[]): string[] {
  return valuePaths(center).filter((p) => !confirmed.some((c) => p === c || p.startsWith(`${c}.`)));
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;
const BLOCK_TAG_LINE = /^[ \t]*(\{\{\s*(?:#if\s+[\w.-]+|else|\/if)\s*\}\})[ \t]*\r?\n/gm;
const BLOCK = /\{\{\s*#if\s+([\w.-]+)\s*\}\}([\s\S]*?)(?:\{\{\s*else\s*\}\}([\s\S]*?))?\{\{\s*\/if\s*\}\}/g;
const STRAY_TAG = /\{\{\s*(?:#\w+[^}]*|else|\/\w+)\s*\}\}/;

/** A switch value: `false`, `no` or empty text turns it off (the `{{else}}` part shows). */
function isOn(value: string): boolean {
  return !['false', 'no', ''].includes(value.trim().toLowerCase());
}

/** A section whose keys are all language codes, one of them `en`, is one value in several languages. */
function isLocalized(node: CenterData): boolean {
  const keys = Object.keys(node);
  return keys.includes('en') && keys.every((k) => isLang(k) && typeof node[k] !== 'object');
}

/** Looks up "contacts.visits.email" in the center data, in `lang` when the value is translated. */
export function lookup(center: CenterData, path: string, lang: Lang = 'en'): string | undefined {
  let node: CenterData | z.infer<typeof scalar> | undefined = center;
  for (const key of path.split('.')) {
    if (node === undefined || typeof node !== 'object') return undefined;
    node = node[key];
  }
  if (node !== undefined && typeof node === 'object' && isLocalized(node)) node = node[lang] ?? node.en;
  return node === undefined || typeof node === 'object' ? undefined : String(node);
}

export interface Filled {
  text: string;
  /** Paths that are not values in center.yaml. */
  missing: string[];
  /** Every path the text refers to, in either branch of a block. */
  used: string[];
  /** Blocks that are not closed, nested or otherwise malformed. */
  malformed: boolean;
}

/**
 * Chooses each `{{#if path}}…{{else}}…{{/if}}` block by the value at `path` (off when `false`,
 * `no` or empty), then replaces every `{{path}}` with its value in `lang`. A block tag alone on its
 * line takes its line break with it, so a block can hold whole list items.
 */
export function fillPlaceholders(text: string, center: CenterData, lang: Lang = 'en'): Filled {
  const missing: string[] = [];
  const used = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] && m[1] !== 'else') used.add(m[1]);
  const chosen = text
    .replace(BLOCK_TAG_LINE, '$1')
    .replace(BLOCK, (_whole, path: string, on: string, off?: string) => {
      used.add(path);
      const value = lookup(center, path, lang);
      if (value === undefined) {
        missing.push(path);
        return '';
      }
      return isOn(value) ? on : (off ?? '');
    });
  const malformed = STRAY_TAG.test(chosen);
  const filled = chosen.replace(PLACEHOLDER, (whole, path: string) => {
    if (path === 'else') return whole;
    const value = lookup(center, path, lang);
    if (value === undefined) {
      missing.push(path);
      return whole;
    }
    return value;
  });
  return { text: filled.replace(/\n{2,}/g, '\n').trim(), missing, used: [...used], malformed };
}

/**
 * Every contact detail (names, e-mails, phones, hours under `contacts`) as `lang` shows it, with
 * its path: an answer that writes one out instead of using the placeholder would not follow an
 * edit of center.yaml. Values under 6 characters are skipped (too likely to occur by chance).
 */
export function contactValues(center: CenterData, lang: Lang): Array<{ path: string; value: string }> {
  const out: Array<{ path: string; value: string }> = [];
  const walk = (node: CenterData, path: string): void => {
    for (const [key, child] of Object.entries(node)) {
      const here = `${path}.${key}`;
      if (child !== null && typeof child === 'object' && !isLocalized(child)) walk(child, here);
      else {
        const value = lookup(center, here, lang);
        if (value !== undefined && value.length >= 6) out.push({ path: here, value });
      }
    }
  };
  const contacts = center.contacts;
  if (contacts && typeof contacts === 'object') walk(contacts, 'contacts');
  return out;
}
