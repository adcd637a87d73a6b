/**
 * `knowledge/glossary/*.yaml`: concepts and their words in each language ("fingerprint", "sidik
 * jari", "vân tay", "ลายนิ้วมือ", "parmak izi", "انگشت نگاری"). The session matcher names sessions
 * through it in the user's language; in the FAQ search a concept's words in any language stand for
 * its words in each index's language (language-index.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isLang, LANGUAGES, type Lang } from '../../core/languages.js';
import { ProblemList, zodIssues } from './problems.js';

const words = z
  .array(
    z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim())
      .pipe(z.string().min(1, 'a word must not be empty')),
  )
  .min(1, 'list at least one word');

export const glossaryFileSchema = z.strictObject({
  /**
   * `schedule`: the words only name timetable sessions (everyday chat names such as "exam", "trip",
   * "party" that would pull unrelated FAQ entries together); `all` (the default): the FAQ search too.
   */
  scope: z.enum(['all', 'schedule']).default('all'),
  concepts: z.array(
    z.strictObject({
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-" (e.g. fingerprint)'),
      words: z.record(z.string(), words).superRefine((record, ctx) => {
        for (const key of Object.keys(record)) {
          if (!isLang(key))
            ctx.addIssue({ code: 'custom', message: `"${key}" is not one of ${LANGUAGES.join(', ')}` });
        }
        if (Object.keys(record).length < 2)
          ctx.addIssue({ code: 'custom', message: 'give the words in two or more languages' });
      }),
    }),
  ),
});

/** One concept: its words per language. */
export interface GlossaryConcept {
  id: string;
  words: Partial<Record<Lang, string[]>>;
  /** Set when the concept only names timetable sessions (its file's `scope: schedule`). */
  scheduleOnly?: true;
}

/** The concepts the FAQ search expands (not those of `scope: schedule` files). */
export function searchGlossary(concepts: readonly GlossaryConcept[]): GlossaryConcept[] {
  return concepts.filter((c) => !c.scheduleOnly);
}

/** Reads every `knowledge/glossary/*.yaml`; problems (bad YAML, schema, duplicate ids) go to `problems`. */
export function readGlossary(
  dir: string,
  problems: ProblemList = new ProblemList(),
  parse: (text: string) => unknown = parseYaml,
): GlossaryConcept[] {
  const folder = join(dir, 'glossary');
  if (!existsSync(folder)) return [];
  const out: GlossaryConcept[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(folder).sort()) {
    const shown = `glossary/${file}`;
    if (!/\.ya?ml$/.test(file)) {
      if (!file.startsWith('.')) problems.error(shown, 'unexpected file; glossary files end in .yaml');
      continue;
    }
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(folder, file), 'utf8'));
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      problems.error(shown, `not valid YAML (${reason})`);
      continue;
    }
    const parsed = glossaryFileSchema.safeParse(raw ?? { concepts: [] });
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error.issues)) {
        problems.error(shown, `${issue}; write "concepts:" then "- id: name" with "words:" per language`);
      }
      continue;
    }
    for (const c of parsed.data.concepts) {
      const other = seen.get(c.id);
      if (other) {
        problems.error(shown, `concept "${c.id}" is already defined in ${other}`);
        continue;
      }
      seen.set(c.id, shown);
      out.push({
        id: c.id,
        words: c.words as Partial<Record<Lang, string[]>>,
        ...(parsed.data.scope === 'schedule' ? { scheduleOnly: true as const } : {}),
      });
    }
  }
  return out;
}
