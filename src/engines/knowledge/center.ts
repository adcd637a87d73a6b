/** `knowledge/center.yaml`: the one place for contacts, addresses, times and deadlines. */
import { z } from 'zod';
import type { ProblemList } from './problems.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
type Tree = { [key: string]: z.infer<typeof scalar> | Tree };
const tree: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([scalar, tree])));

const contact = z.looseObject({
  name: z.string().optional(),
  email: z.email().optional(),
  phone: z.string().optional(),
});

export const centerSchema = z.looseObject({
  center: z.looseObject({ name: z.string().min(1), address: z.string().min(1) }),
  contacts: z.record(z.string(), contact),
  emergency: z.looseObject({ police: z.string(), fire_ambulance: z.string() }),
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

/** Looks up "contacts.visits.email" in the center data. */
export function lookup(center: CenterData, path: string): string | undefined {
  let node: CenterData | z.infer<typeof scalar> | undefined = center;
  for (const key of path.split('.')) {
    if (node === undefined || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node === undefined || typeof node === 'object' ? undefined : String(node);
}

/** Replaces every {{path}} with its value; unknown paths are returned in `missing`. */
export function fillPlaceholders(text: string, center: CenterData): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(PLACEHOLDER, (whole, path: string) => {
    const value = lookup(center, path);
    if (value === undefined) {
      missing.push(path);
      return whole;
    }
    return value;
  });
  return { text: filled, missing };
}
