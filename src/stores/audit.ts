/** The audit log: every coordinator action and every refused attempt, with who and when. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuditEntry {
  at: string;
  /** "platform:userId" */
  actor: string;
  /** e.g. "visit.approve", "visit.show", "visit.submit" */
  action: string;
  target?: string | undefined;
  outcome: 'ok' | 'refused';
  detail?: string | undefined;
}

export class AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes one entry; pass the transaction when it belongs to a larger write. */
  async record(entry: AuditEntry, db: Kysely<Database> = this.db): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        detail: entry.detail ?? null,
      })
      .execute();
  }

  async list(filter: { since?: string | undefined } = {}): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id');
    if (filter.since) q = q.where('at', '>=', filter.since);
    const rows = await q.execute();
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      ...(r.target !== null ? { target: r.target } : {}),
      outcome: r.outcome === 'refused' ? 'refused' : 'ok',
      ...(r.detail !== null ? { detail: r.detail } : {}),
    }));
  }
}
