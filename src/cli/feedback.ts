/**
 * `koban feedback [--since DATE] [--json]`: FAQ entries by "not helpful" votes, with the questions
 * that got them (redacted), so coordinators know which answers to improve first.
 */
import { z } from 'zod';
import type { EntryFeedback, FeedbackRepo } from '../stores/feedback.js';
import { UsageError } from './args.js';

const sinceSchema = z.iso.datetime({ offset: true, local: true }).or(z.iso.date());

/** `--since`: a day (YYYY-MM-DD, from its start in UTC) or an ISO-8601 date-time. */
export function parseSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!sinceSchema.safeParse(value).success || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--since takes a date such as 2027-01-20 or 2027-01-20T08:00:00+09:00 (got "${value}")`,
    );
  }
  return date.toISOString();
}

/** The lines for one entry: its counts, then up to `questions` of the questions voted unhelpful. */
export function feedbackLines(e: EntryFeedback, questions = 5): string[] {
  const lines = [
    `${String(e.unhelpful).padStart(4)} not helpful  ${String(e.helpful).padStart(4)} helpful  ${e.entryId}`,
  ];
  for (const q of e.questions.slice(0, questions)) {
    lines.push(`        ${q.lang}  ${q.text.replace(/\s+/g, ' ').slice(0, 100) || '(from a button)'}`);
  }
  return lines;
}

export async function feedbackReport(
  repo: FeedbackRepo,
  where: string,
  options: { since?: string | undefined; json?: boolean | undefined },
  out: (s: string) => void,
): Promise<number> {
  const entries = await repo.byEntry({ since: options.since });
  if (options.json) {
    out(JSON.stringify(entries));
    return 0;
  }
  if (entries.length === 0) {
    out(`${where}: no feedback recorded${options.since ? ` since ${options.since}` : ''}`);
    return 0;
  }
  out(
    `feedback on ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} in ${where}, most "not helpful" first`,
  );
  for (const e of entries) for (const line of feedbackLines(e)) out(line);
  return 0;
}
