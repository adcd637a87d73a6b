/**
 * `knowledge/sources/<name>.md`: short notes on the public documents answers are built from. An
 * entry names one in its front matter (`source: npa-center-profile.md`, or a URL); the reply shows
 * it as a "Source: …" note, so a reader can tell a published figure from a house rule.
 */
import { z } from 'zod';
import type { Lang } from '../../core/languages.js';

const titleText = z.union([
  z.string().trim().min(1),
  z.record(z.string(), z.string().trim().min(1)).refine((m) => typeof m.en === 'string', {
    message: 'a title given per language needs at least "en"',
  }),
]);

/** The front matter of a source note; the body is the writer's own summary. */
export const sourceNoteSchema = z.strictObject({
  title: titleText,
  publisher: z.string().trim().min(1).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
});

export type SourceNote = z.infer<typeof sourceNoteSchema>;

/** A source file name as answers write it: lowercase words with dashes, ending in ".md". */
export const SOURCE_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

/** What an entry's `source:` refers to, resolved at load. */
export interface EntrySource {
  /** The title per language (en always present), or the URL itself. */
  title: Partial<Record<Lang, string>> & { en: string };
  url?: string;
}

/** Checks a `source:` value: a URL, or a file name in `knowledge/sources/`. */
export const sourceRefSchema = z
  .string()
  .trim()
  .refine((v) => SOURCE_FILE.test(v) || z.url({ protocol: /^https?$/ }).safeParse(v).success, {
    message: 'name a file in knowledge/sources/ (e.g. "npa-center-profile.md") or give an http(s) URL',
  });

/** The title to show in `lang`, else in English. */
export function sourceTitle(source: EntrySource, lang: Lang): string {
  return source.title[lang] ?? source.title.en;
}
