/** Runs a question set through the assistant (the bot's own code path) and through the baseline. */
import type { Reply } from '../core/reply.js';
import type { Runtime } from '../main.js';
import { BaselineSearch } from './baseline.js';
import { type Metrics, type Outcome, summarize } from './metrics.js';
import { isIntentQuestion, isOutOfScope, type Question } from './question-set.js';

export interface EvalReport {
  assistant: Record<string, Metrics>;
  baseline: Record<string, Metrics>;
  failures: Array<{ source: string; text: string; lang: string; expected: string[]; got: string }>;
}

function rankOf(candidates: string[], expect: string[]): number {
  const i = candidates.findIndex((c) => expect.includes(c));
  return i < 0 ? 0 : i + 1;
}

function sameSessions(reply: Reply, expected: string[]): boolean {
  const got = new Set((reply.sessions ?? []).map((s) => `${s.courseId}/${s.sessionId}`));
  return got.size === new Set(expected).size && expected.every((s) => got.has(s));
}

/** Small-talk kinds as the question sets name them → the reply's `kind`. */
const KIND_NAMES: Record<string, string> = { goodbye: 'bye' };

/** "intent:NAME": the reply's intent, or for small talk its kind. */
function intentMatches(reply: Reply, name: string): boolean {
  if (reply.intent === name) return true;
  return reply.intent === 'smalltalk' && reply.kind === (KIND_NAMES[name] ?? name);
}

/** Scores one reply against what the question expects. */
export function score(q: Question, reply: Reply, ms: number): Outcome {
  const schedule = q.sessions !== undefined;
  const refused = reply.intent === 'fallback';
  const candidates = [...(reply.entryId ? [reply.entryId] : []), ...reply.suggestions.map((s) => s.entryId)];
  let right: boolean;
  if (q.replyLang && reply.lang !== q.replyLang) right = false;
  else if (schedule) right = reply.intent === 'schedule' && sameSessions(reply, q.sessions ?? []);
  else
    right = q.expect.some(
      (e) =>
        (e === 'fallback' && refused) ||
        (e.startsWith('intent:') && intentMatches(reply, e.slice(7))) ||
        (e.startsWith('not:') && !intentMatches(reply, e.slice(4))) ||
        (reply.intent === 'faq' && reply.entryId === e),
    );
  return {
    lang: q.lang,
    outOfScope: isOutOfScope(q),
    schedule,
    // Visit-intent sets ("intent:visit", "not:visit") are scored apart; schedule and conversation items have their own columns.
    intent: !schedule && !q.conversation && isIntentQuestion(q),
    conversation: q.conversation,
    followUp: q.followUp,
    refused,
    right,
    rank: right
      ? 1
      : reply.intent === 'faq'
        ? rankOf(candidates, q.expect) || 0
        : rankOf(candidates, q.expect),
    ms,
  };
}

function byLanguage(outcomes: Outcome[]): Record<string, Metrics> {
  const langs = [...new Set(outcomes.map((o) => o.lang))].sort();
  const out: Record<string, Metrics> = {};
  for (const l of langs) out[l] = summarize(outcomes.filter((o) => o.lang === l));
  out.all = summarize(outcomes);
  return out;
}

export async function runEval(runtime: Runtime, questions: Question[]): Promise<EvalReport> {
  const outcomes: Outcome[] = [];
  const baseline: Outcome[] = [];
  const failures: EvalReport['failures'] = [];
  const naive = new BaselineSearch(runtime.knowledge.kb);
  for (const [i, q] of questions.entries()) {
    // A new user per question, whose platform reports the question's language (no sticky state).
    const userId = `eval-${i}`;
    if (q.course) await runtime.store.updateUser(`cli:${userId}`, { course: q.course });
    const now = q.now ? new Date(q.now) : undefined;
    const ask = (text: string) =>
      runtime.assistant.handle({
        platform: 'cli',
        userId,
        text,
        localeHint: q.lang,
        direct: true,
        ...(now ? { now } : {}),
      });
    // A follow-up item: the turns before it set up the conversation; only the last reply is scored.
    for (const text of q.before) await ask(text);
    const started = performance.now();
    const reply = await ask(q.text);
    const ms = performance.now() - started;
    const outcome = score(q, reply, ms);
    outcomes.push(outcome);
    if (!outcome.right) {
      const got =
        reply.intent === 'faq'
          ? `${reply.entryId} (${reply.confidence})`
          : `${reply.intent}${reply.sessions ? ` [${reply.sessions.map((s) => s.sessionId).join(',')}]` : ''} (${reply.confidence ?? ''}) ${reply.suggestions.map((s) => s.entryId).join(',')}`;
      failures.push({ source: q.source, text: q.text, lang: q.lang, expected: q.sessions ?? q.expect, got });
    }
    if (q.sessions === undefined && !q.conversation && !q.followUp && !isIntentQuestion(q)) {
      const t0 = performance.now();
      const ids = naive.search(q.text);
      const bms = performance.now() - t0;
      const refused = ids.length === 0;
      const right = refused ? q.expect.includes('fallback') : q.expect.includes(ids[0] ?? '');
      baseline.push({
        lang: q.lang,
        outOfScope: isOutOfScope(q),
        schedule: false,
        conversation: false,
        refused,
        right,
        rank: rankOf(ids.slice(0, 3), q.expect),
        ms: bms,
      });
    }
  }
  return { assistant: byLanguage(outcomes), baseline: byLanguage(baseline), failures };
}
