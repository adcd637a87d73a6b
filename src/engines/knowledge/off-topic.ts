/**
 * `knowledge/off-topic/<lang>.yaml`: messages the bot must not answer (weather abroad, exchange
 * rates, a private person's address, police questions no entry covers). The FAQ classifier learns
 * from them what an off-topic question looks like.
 */
import { z } from 'zod';
import { sanitizeText } from '../../core/text.js';

export const offTopicSchema = z.strictObject({
  examples: z.array(
    z
      .union([z.string(), z.number()])
      .transform((v) => sanitizeText(String(v)).trim())
      .pipe(z.string().min(1, 'an example must not be empty')),
  ),
});
