/**
 * "Helpful? yes/no" votes under FAQ answers, with the entry, language, platform and the question
 * (redacted as the unanswered log is). `koban feedback` ranks entries by unhelpful votes.
 */
import type { Kysely } from 'kysely';
import { isLang, type Lang } from '../core/languages.js';
import { redactPersonalData } from './redact.js';
import type { Database } from './schema.js';

export interface FeedbackVote {
  at: string;
  platform: string;
  entryId: string;
  lang: Lang;
  question: string;
  helpful: boolean;
}

/** One entry's votes, for the operator's list. */
export interface EntryFeedback {
  entryId: string;
  helpful: number;
  unhelpful: number;
  /** Questions that got an unhelpful vote, newest first, with their language. */
  questions: Array<{ at: string; lang: Lang; text: string }>;
}

export class FeedbackRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async record(vote: FeedbackVote): Promise<void> {
    await this.db
      .insertInto('feedback')
      .values({
        at: new Date(vote.at).toISOString(),
        platform: vote.platform,
        entry_id: vote.entryId,
        lang: vote.lang,
        question: redactPersonalData(vote.question),
        helpful: vote.helpful ? 1 : 0,
      })
      .execute();
  }

  async list(filter: { since?: string | undefined } = {}): Promise<FeedbackVote[]> {
    let q = this.db.selectFrom('feedback').selectAll().orderBy('id');
    if (filter.since) q = q.where('at', '>=', filter.since);
    const rows = await q.execute();
    return rows.flatMap((r) =>
      isLang(r.lang)
        ? [
            {
              at: r.at,
              platform: r.platform,
              entryId: r.entry_id,
              lang: r.lang,
              question: r.question,
              helpful: r.helpful === 1,
            },
          ]
        : [],
    );
  }

  /** Entries with their votes, most unhelpful votes first (then fewest helpful, then id). */
  async byEntry(filter: { since?: string | undefined } = {}): Promise<EntryFeedback[]> {
    const byId = new Map<string, EntryFeedback>();
    for (const v of await this.list(filter)) {
      let e = byId.get(v.entryId);
      if (!e) {
        e = { entryId: v.entryId, helpful: 0, unhelpful: 0, questions: [] };
        byId.set(v.entryId, e);
      }
      if (v.helpful) e.helpful++;
      else {
        e.unhelpful++;
        e.questions.unshift({ at: v.at, lang: v.lang, text: v.question });
      }
    }
    return [...byId.values()].sort(
      (a, b) => b.unhelpful - a.unhelpful || a.helpful - b.helpful || a.entryId.localeCompare(b.entryId),
    );
  }

  /** Deletes votes cast before `before` (retention); returns how many. */
  async purge(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('feedback').where('at', '<', before.toISOString()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
