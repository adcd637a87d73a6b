/**
 * Questions the bot could not answer, for the coordinators to review (`koban unanswered`). Stored
 * redacted, with a salted hash instead of the user id, and deleted after the retention period.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isLang, type Lang } from '../core/languages.js';
import { hotQuery } from './hot-query.js';
import { redactPersonalData } from './redact.js';
import type { Database } from './schema.js';

/** What a handler reports; `user` is "platform:userId" and is hashed before storing. */
export interface UnansweredQuestion {
  at: string;
  platform: string;
  user: string;
  lang: Lang;
  text: string;
  confidence: number;
  suggestions: string[];
}

/** What the store gives back. */
export interface StoredQuestion {
  at: string;
  platform: string;
  userHash: string;
  lang: Lang;
  text: string;
  confidence: number;
  suggestions: string[];
}

const suggestionsSchema = z.array(z.string());

/** One line of the `unanswered.jsonl` file the first release wrote. */
const legacyLineSchema = z.object({
  at: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  platform: z.string().default('unknown'),
  user: z.string().default(''),
  lang: z.string().refine(isLang),
  text: z.string(),
  confidence: z.number().default(0),
  suggestions: suggestionsSchema.default([]),
});

const IMPORT_KEY = 'import:unanswered.jsonl';

/** How many users' pseudonyms `hashUser` remembers. */
const HASHED_USERS = 10_000;

/** Written on every question the FAQ could not answer: compiled once (`hot-query.ts`). */
const insertQuery = (db: Kysely<Database>) =>
  hotQuery(
    db,
    7,
    (
      at: string,
      platform: string,
      userHash: string,
      lang: string,
      text: string,
      confidence: number,
      suggestions: string,
    ) =>
      db
        .insertInto('unanswered')
        .values({ at, platform, user_hash: userHash, lang, text, confidence, suggestions }),
  );

export class UnansweredRepo {
  private readonly insert: ReturnType<typeof insertQuery>;
  /** Pseudonyms already worked out (an HMAC per question was most of a record's CPU). */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly salt: string,
  ) {
    this.insert = insertQuery(db);
  }

  /** A stable pseudonym for a user: the same user groups together, the id itself is not kept. */
  hashUser(userKey: string): string {
    let hash = this.hashes.get(userKey);
    if (hash === undefined) {
      hash = createHmac('sha256', this.salt).update(userKey).digest('base64url').slice(0, 22);
      if (this.hashes.size >= HASHED_USERS) this.hashes.clear();
      this.hashes.set(userKey, hash);
    }
    return hash;
  }

  private row(q: UnansweredQuestion) {
    return {
      at: new Date(q.at).toISOString(),
      platform: q.platform,
      user_hash: q.user ? this.hashUser(q.user) : '',
      lang: q.lang,
      text: redactPersonalData(q.text),
      confidence: q.confidence,
      suggestions: JSON.stringify(q.suggestions),
    };
  }

  async record(q: UnansweredQuestion): Promise<void> {
    const r = this.row(q);
    await this.insert(r.at, r.platform, r.user_hash, r.lang, r.text, r.confidence, r.suggestions);
  }

  async list(filter: { lang?: Lang | undefined } = {}): Promise<StoredQuestion[]> {
    let query = this.db
      .selectFrom('unanswered')
      .select(['at', 'platform', 'user_hash', 'lang', 'text', 'confidence', 'suggestions'])
      .orderBy('id');
    if (filter.lang) query = query.where('lang', '=', filter.lang);
    const rows = await query.execute();
    return rows.flatMap((r) => {
      if (!isLang(r.lang)) return [];
      let suggestions: string[] = [];
      try {
        suggestions = suggestionsSchema.parse(JSON.parse(r.suggestions));
      } catch {
        // A damaged suggestion list still leaves the question worth showing.
      }
      return [
        {
          at: r.at,
          platform: r.platform,
          userHash: r.user_hash,
          lang: r.lang,
          text: r.text,
          confidence: r.confidence,
          suggestions,
        },
      ];
    });
  }

  /** Deletes questions asked before `before`; returns how many. */
  async purge(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('unanswered')
      .where('at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Imports the first release's JSON-lines log once (one transaction), then renames the file to
   * `*.imported`. Returns the number of questions imported and of lines skipped, or undefined when
   * there was nothing to import.
   */
  async importJsonl(path: string): Promise<{ imported: number; skipped: number } | undefined> {
    if (!existsSync(path)) return undefined;
    const done = await this.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', IMPORT_KEY)
      .executeTakeFirst();
    if (done) return undefined;
    let skipped = 0;
    const rows: ReturnType<UnansweredRepo['row']>[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let parsed: ReturnType<typeof legacyLineSchema.safeParse>;
      try {
        parsed = legacyLineSchema.safeParse(JSON.parse(line));
      } catch {
        skipped++;
        continue;
      }
      if (!parsed.success || !isLang(parsed.data.lang)) {
        skipped++;
        continue;
      }
      rows.push(this.row({ ...parsed.data, lang: parsed.data.lang }));
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto('unanswered')
          .values(rows.slice(i, i + 200))
          .execute();
      }
      await trx
        .insertInto('meta')
        .values({ key: IMPORT_KEY, value: JSON.stringify({ path, imported: rows.length, skipped }) })
        .execute();
    });
    renameSync(path, `${path}.imported`);
    return { imported: rows.length, skipped };
  }
}
