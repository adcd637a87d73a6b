/** The shape of one FAQ entry and its translations, as validated from `knowledge/faq/<id>/<lang>.md`. */
import { z } from 'zod';
import type { Lang } from '../../core/languages.js';
import { type EntrySource, sourceRefSchema } from './sources.js';

export const CATEGORIES = [
  'center',
  'koban',
  'cooperation',
  'visit',
  'trainee',
  'emergency',
  'general',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ENTRY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MIN_QUESTIONS = 4;

// Numbers are accepted as text: "110" written without quotes is still a tag.
const text = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().trim().min(1, 'must not be empty'));

export const frontMatterSchema = z.strictObject({
  title: text,
  questions: z.array(text).min(1, 'list at least one question a user might type'),
  tags: z.array(text).default([]),
  /**
   * Questions that share the entry's words but that it does not answer (a police officer's pay
   * beside the trainee's allowance): the entry is not given as the answer to a question closer to
   * one of these than to any of its own questions.
   */
  not_answered: z.array(text).default([]),
  category: z.enum(CATEGORIES).optional(),
  /** English file only: a document in knowledge/sources/ or a URL the answer is built from. */
  source: sourceRefSchema.optional(),
});

export interface Translation {
  lang: Lang;
  title: string;
  questions: string[];
  tags: string[];
  /** Questions that share the entry's words but that it does not answer (front matter `not_answered`). */
  notAnswered?: string[];
  /** The answer with placeholders filled in. */
  body: string;
  file: string;
}

export interface FaqEntry {
  id: string;
  category: Category;
  translations: Partial<Record<Lang, Translation>>;
  /** The public document the answer is built from, when it names one. */
  source?: EntrySource;
}
