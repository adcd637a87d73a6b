/** `knowledge/synonyms/<lang>.yaml`: groups of words that mean the same thing in one language. */
import { z } from 'zod';

export const synonymsSchema = z.strictObject({
  groups: z.array(
    z.array(z.union([z.string(), z.number()]).transform(String)).min(2, 'a group needs two or more words'),
  ),
});

export type SynonymGroups = string[][];
