/**
 * `knowledge/center.yaml`: the one place for contacts, addresses, times and deadlines. A value
 * that readers see in their own language is a map from language code to text, with `en` required
 * (`absence_notice: { en: "by 08:30 on the same day", ja: "当日08:30まで" }`); an answer shows the
 * value in its own language, else the English one.
 */
import { z } from 'zod';
import { isLang, type Lang } from '../../core/languages.js';
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
});

export type CenterData = Tree;

/** Validates the parsed YAML; returns the data, or undefined after recording every problem. */
export function parseCenter(raw: unknown, file: string, problems: ProblemList): CenterData | undefined {
  const shape = centerSchema.safeParse(raw);
  const values = tree.safeParse(raw);
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

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

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

/** Replaces every {{path}} with its value in `lang`; unknown paths are returned in `missing`. */
export function fillPlaceholders(
  text: string,
  center: CenterData,
  lang: Lang = 'en',
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(PLACEHOLDER, (whole, path: string) => {
    const value = lookup(center, path, lang);
    if (value === undefined) {
      missing.push(path);
      return whole;
    }
    return value;
  });
  return { text: filled, missing };
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
