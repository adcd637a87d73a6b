/** The default store: one SQLite file (better-sqlite3), created and migrated on open. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { isLang } from '../core/languages.js';
import type { Store, UserPrefs } from './store.js';

const MIGRATIONS = [
  `CREATE TABLE user_prefs (
     user_key TEXT PRIMARY KEY,
     lang TEXT,
     detected_lang TEXT,
     course TEXT,
     updated_at TEXT NOT NULL
   )`,
];

const rowSchema = z.object({
  lang: z.string().nullable(),
  detected_lang: z.string().nullable(),
  course: z.string().nullable(),
});

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /** `path` is a file, or ":memory:" for tests. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    const version = Number(this.db.pragma('user_version', { simple: true }));
    MIGRATIONS.slice(version).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${version + i + 1}`);
      })();
    });
  }

  getUser(key: string): UserPrefs {
    const raw = this.db
      .prepare('SELECT lang, detected_lang, course FROM user_prefs WHERE user_key = ?')
      .get(key);
    const row = rowSchema.safeParse(raw);
    if (!row.success) return {};
    const prefs: UserPrefs = {};
    if (isLang(row.data.lang)) prefs.lang = row.data.lang;
    if (isLang(row.data.detected_lang)) prefs.detectedLang = row.data.detected_lang;
    if (row.data.course) prefs.course = row.data.course;
    return prefs;
  }

  updateUser(key: string, patch: Partial<UserPrefs>): void {
    const next = { ...this.getUser(key), ...patch };
    this.db
      .prepare(
        `INSERT INTO user_prefs (user_key, lang, detected_lang, course, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(user_key) DO UPDATE SET lang = excluded.lang, detected_lang = excluded.detected_lang,
           course = excluded.course, updated_at = excluded.updated_at`,
      )
      .run(key, next.lang ?? null, next.detectedLang ?? null, next.course ?? null, new Date().toISOString());
  }

  close(): void {
    this.db.close();
  }
}
