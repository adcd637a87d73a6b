/** The visit rules straight from `<knowledge>/center.yaml`, for commands that need no search index. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_VISIT_RULES, type VisitRules, visitRules, visitRulesSchema } from './rules.js';

export class VisitRulesError extends Error {
  readonly code = 'VISIT_RULES_INVALID';
}

export function readVisitRules(knowledgeDir: string): VisitRules {
  const path = join(knowledgeDir, 'center.yaml');
  if (!existsSync(path)) return DEFAULT_VISIT_RULES;
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new VisitRulesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const center = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!center.success) throw new VisitRulesError(`${path}: not a YAML mapping`);
  const block = visitRulesSchema.optional().safeParse(center.data.visits);
  if (!block.success) throw new VisitRulesError(`${path}: visits: ${z.prettifyError(block.error)}`);
  return visitRules(center.data);
}
