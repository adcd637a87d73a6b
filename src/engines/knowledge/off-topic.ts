/**
 * `knowledge/off-topic/<lang>.yaml`: messages the bot must not answer (weather abroad, exchange
 * rates, a private person's address, police questions no entry covers). The FAQ classifier learns
 * from them what an off-topic question looks like. `errands`, by category (visa and immigration,
 * fines and licences, embassy errands, private disputes, other countries' police, police careers,
 * weapons laws, tax and banking, housing, job applications), are police and
 * paperwork questions that belong to another office: a separate errand classifier learns them, so
 * they do not shift how the FAQ classifier tells entries apart.
 */
import { z } from 'zod';
import { sanitizeText } from '../../core/text.js';

const example = z
  .union([z.string(), z.number()])
  .transform((v) => sanitizeText(String(v)).trim())
  .pipe(z.string().min(1, 'an example must not be empty'));

export const offTopicSchema = z.strictObject({
  examples: z.array(example),
  errands: z
    .record(z.string(), z.array(example))
    .superRefine((record, ctx) => {
      for (const key of Object.keys(record)) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(key))
          ctx.addIssue({
            code: 'custom',
            message: `"${key}": name a category in lowercase, e.g. visa-immigration`,
          });
      }
    })
    .optional(),
});
