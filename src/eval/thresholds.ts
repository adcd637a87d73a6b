/** The regression gate: minimum quality per language, read from a JSON file. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EvalReport } from './run-eval.js';

export const thresholdsSchema = z.strictObject({
  top1: z.number().min(0).max(1),
  oosRefused: z.number().min(0).max(1),
  inScopeRefusedMax: z.number().min(0).max(1),
  schedule: z.number().min(0).max(1),
  /** Minimum share of conversation items (conv-*.jsonl) answered right, per language. */
  conversation: z.number().min(0).max(1).optional(),
  /** Minimum share of follow-up items (two turns) answered right, per language. */
  followUp: z.number().min(0).max(1).optional(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export function readThresholds(path: string): Thresholds {
  const parsed = thresholdsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Every way the report falls short, one line each (empty: it passes). */
export function checkThresholds(report: EvalReport, t: Thresholds): string[] {
  const out: string[] = [];
  for (const [lang, m] of Object.entries(report.assistant)) {
    if (m.inScope > 0 && m.top1 < t.top1) out.push(`${lang}: top-1 ${m.top1.toFixed(3)} < ${t.top1}`);
    if (m.inScope > 0 && m.inScopeRefused > t.inScopeRefusedMax)
      out.push(`${lang}: in-scope refused ${m.inScopeRefused.toFixed(3)} > ${t.inScopeRefusedMax}`);
    if (m.scheduleN > 0 && m.scheduleAccuracy < t.schedule)
      out.push(`${lang}: schedule accuracy ${m.scheduleAccuracy.toFixed(3)} < ${t.schedule}`);
    if (t.conversation !== undefined && m.conversationN > 0 && m.conversationAccuracy < t.conversation)
      out.push(`${lang}: conversation accuracy ${m.conversationAccuracy.toFixed(3)} < ${t.conversation}`);
    if (t.followUp !== undefined && m.followUpN > 0 && m.followUpAccuracy < t.followUp)
      out.push(`${lang}: follow-up accuracy ${m.followUpAccuracy.toFixed(3)} < ${t.followUp}`);
  }
  const all = report.assistant.all;
  if (all && all.fallbackRecall < t.oosRefused)
    out.push(`all: out-of-scope refused ${all.fallbackRecall.toFixed(3)} < ${t.oosRefused}`);
  return out;
}
