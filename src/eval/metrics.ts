/** Answer-quality metrics per language: top-1, recall@3, MRR, fallback precision/recall, latency. */
import type { Lang } from '../core/languages.js';

/** What a system answered to one question, reduced to what the metrics need. */
export interface Outcome {
  lang: Lang;
  outOfScope: boolean;
  /** Schedule questions are scored on their sessions only. */
  schedule: boolean;
  /** Questions about the intent only ("intent:visit", "not:visit"), e.g. starting a visit request. */
  intent?: boolean;
  /** From a conv-*.jsonl set (chatty schedule questions, small talk, help): scored apart. */
  conversation: boolean;
  /** A two-turn item (a follow-up after an answer): scored apart. */
  followUp?: boolean;
  refused: boolean;
  right: boolean;
  /** 1-based rank of the first right candidate among answer + suggestions; 0 when absent. */
  rank: number;
  ms: number;
}

export interface Metrics {
  n: number;
  inScope: number;
  top1: number;
  /** The right entry listed first, as the answer or as the first "did you mean" (ranking alone). */
  first: number;
  recall3: number;
  mrr: number;
  /** Of the questions refused, the share that were out of scope. */
  fallbackPrecision: number;
  /** Of the out-of-scope questions, the share refused. */
  fallbackRecall: number;
  /** Of the in-scope questions, the share wrongly refused. */
  inScopeRefused: number;
  scheduleN: number;
  scheduleAccuracy: number;
  intentN: number;
  intentAccuracy: number;
  conversationN: number;
  /** Conversation items answered right (the right sessions, small-talk kind or help). */
  conversationAccuracy: number;
  followUpN: number;
  /** Follow-up items whose last reply was right. */
  followUpAccuracy: number;
  p50: number;
  p99: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function summarize(outcomes: Outcome[]): Metrics {
  const followUp = outcomes.filter((o) => o.followUp);
  const single = outcomes.filter((o) => !o.followUp);
  const conversation = single.filter((o) => o.conversation);
  const intent = single.filter((o) => o.intent);
  const faq = single.filter((o) => !o.schedule && !o.intent && !o.conversation);
  const inScope = faq.filter((o) => !o.outOfScope);
  const oos = faq.filter((o) => o.outOfScope);
  const refused = faq.filter((o) => o.refused);
  const schedule = single.filter((o) => o.schedule && !o.conversation);
  const ms = outcomes.map((o) => o.ms);
  return {
    n: outcomes.length,
    inScope: inScope.length,
    top1: ratio(inScope.filter((o) => o.right).length, inScope.length),
    first: ratio(inScope.filter((o) => o.rank === 1).length, inScope.length),
    recall3: ratio(inScope.filter((o) => o.rank >= 1 && o.rank <= 3).length, inScope.length),
    mrr: ratio(
      inScope.reduce((s, o) => s + (o.rank > 0 ? 1 / o.rank : 0), 0),
      inScope.length,
    ),
    fallbackPrecision: ratio(refused.filter((o) => o.outOfScope).length, refused.length),
    fallbackRecall: ratio(oos.filter((o) => o.refused).length, oos.length),
    inScopeRefused: ratio(inScope.filter((o) => o.refused).length, inScope.length),
    scheduleN: schedule.length,
    scheduleAccuracy: ratio(schedule.filter((o) => o.right).length, schedule.length),
    intentN: intent.length,
    intentAccuracy: ratio(intent.filter((o) => o.right).length, intent.length),
    conversationN: conversation.length,
    conversationAccuracy: ratio(conversation.filter((o) => o.right).length, conversation.length),
    followUpN: followUp.length,
    followUpAccuracy: ratio(followUp.filter((o) => o.right).length, followUp.length),
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
  };
}
