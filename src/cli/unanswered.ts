/**
 * `koban unanswered`: what the bot could not answer (kept in the database, redacted, for
 * KOBAN_RETENTION_DAYS), most asked first, so coordinators know which phrasings to add to an
 * entry's `questions` and which messages to add to knowledge/off-topic/.
 */
import type { Lang } from '../core/languages.js';
import type { FeedbackRepo } from '../stores/feedback.js';
import type { UnansweredStore } from '../stores/store.js';
import { feedbackLines } from './feedback.js';

export interface UnansweredOptions {
  lang?: Lang | undefined;
  limit?: number | undefined;
}

interface Group {
  text: string;
  lang: string;
  count: number;
  last: string;
  suggestion: string | undefined;
}

/** Same question, however it was capitalised or punctuated. */
function key(lang: string, text: string): string {
  return `${lang}\u0000${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\s]+/gu, ' ')
    .trim()}`;
}

export async function unansweredReport(
  store: UnansweredStore,
  where: string,
  options: UnansweredOptions,
  out: (s: string) => void,
  feedback?: FeedbackRepo,
): Promise<number> {
  const questions = await store.list({ lang: options.lang });
  // Beside the refusals: answers given but voted "not helpful".
  const unhelpful = feedback
    ? (await feedback.byEntry())
        .map((e) =>
          options.lang ? { ...e, questions: e.questions.filter((q) => q.lang === options.lang) } : e,
        )
        .filter((e) => e.unhelpful > 0 && (!options.lang || e.questions.length > 0))
    : [];
  const showUnhelpful = (): void => {
    if (unhelpful.length === 0) return;
    out('');
    out(
      `answers voted "not helpful" (${unhelpful.length} entr${unhelpful.length === 1 ? 'y' : 'ies'}; koban feedback for all votes):`,
    );
    for (const e of unhelpful.slice(0, options.limit ?? 50))
      for (const line of feedbackLines(e, 3)) out(line);
  };
  if (questions.length === 0) {
    out(`${where}: no unanswered questions recorded${options.lang ? ` in ${options.lang}` : ''}`);
    showUnhelpful();
    return 0;
  }
  const groups = new Map<string, Group>();
  for (const q of questions) {
    const k = key(q.lang, q.text);
    const group = groups.get(k);
    if (group) {
      group.count++;
      if (q.at > group.last) group.last = q.at;
    } else {
      groups.set(k, { text: q.text, lang: q.lang, count: 1, last: q.at, suggestion: q.suggestions[0] });
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || b.last.localeCompare(a.last));
  const total = sorted.reduce((n, g) => n + g.count, 0);
  out(`${total} unanswered message(s), ${sorted.length} different, in ${where}`);
  for (const g of sorted.slice(0, options.limit ?? 50)) {
    const hint = g.suggestion ? `  (closest: ${g.suggestion})` : '';
    out(`${String(g.count).padStart(4)}  ${g.lang}  ${g.text.replace(/\s+/g, ' ').slice(0, 100)}${hint}`);
  }
  out('Add a phrasing to the closest entry\'s "questions" when the bot should have answered,');
  out('or a line to knowledge/off-topic/<lang>.yaml when it should not (see knowledge/README.md).');
  showUnhelpful();
  return 0;
}
