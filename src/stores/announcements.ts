/** Announcements (`A-17`) and the "OK, got it" confirmations; their copies live in the outbox. */
import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditRepo } from './audit.js';
import type { AnnouncementsTable, Database } from './schema.js';

export type AnnouncementStatus = 'scheduled' | 'sent' | 'cancelled' | 'withdrawn';

export interface AnnouncementRecord {
  ref: string;
  createdBy: string;
  /** JSON text of the audience as given. */
  audience: string;
  /** JSON text of the content (the outbox payload). */
  content: string;
  dueAt: string;
  status: AnnouncementStatus;
  createdAt: string;
  updatedAt: string;
}

export interface Confirmation {
  target: string;
  userKey: string;
  at: string;
}

function toStatus(s: string): AnnouncementStatus {
  return s === 'sent' || s === 'cancelled' || s === 'withdrawn' ? s : 'scheduled';
}

function toRecord(r: Selectable<AnnouncementsTable>): AnnouncementRecord {
  return {
    ref: r.ref ?? `A-${r.id}`,
    createdBy: r.created_by,
    audience: r.audience,
    content: r.content,
    dueAt: r.due_at,
    status: toStatus(r.status),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class AnnouncementRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepo,
  ) {}

  /**
   * Creates an announcement and, in the same transaction, whatever `withRef` writes for it (its
   * outbox rows) and the audit entry. Returns its reference, "A-<id>".
   */
  async create(
    a: { createdBy: string; audience: string; content: string; dueAt: string; now: Date },
    withRef: (ref: string, trx: Kysely<Database>) => Promise<void>,
  ): Promise<string> {
    return await this.db.transaction().execute(async (trx) => {
      const at = a.now.toISOString();
      const row = await trx
        .insertInto('announcements')
        .values({
          created_by: a.createdBy,
          audience: a.audience,
          content: a.content,
          due_at: a.dueAt,
          status: 'scheduled',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ref = `A-${row.id}`;
      await trx.updateTable('announcements').set({ ref }).where('id', '=', row.id).execute();
      await withRef(ref, trx);
      await this.audit.record(
        { at, actor: a.createdBy, action: 'announce.create', target: ref, outcome: 'ok' },
        trx,
      );
      return ref;
    });
  }

  async get(ref: string): Promise<AnnouncementRecord | undefined> {
    const row = await this.db
      .selectFrom('announcements')
      .selectAll()
      .where('ref', '=', ref)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<AnnouncementRecord[]> {
    const rows = await this.db.selectFrom('announcements').selectAll().orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Changes status (and content), with the audit entry and the outbox change `also`, in one transaction. */
  async change(
    ref: string,
    change: { status?: AnnouncementStatus; content?: string; audit: AuditEntry },
    also: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('announcements')
        .set({
          ...(change.status ? { status: change.status } : {}),
          ...(change.content ? { content: change.content } : {}),
          updated_at: change.audit.at,
        })
        .where('ref', '=', ref)
        .execute();
      await also(trx);
      await this.audit.record(change.audit, trx);
    });
  }

  /** Marks scheduled announcements whose copies have all left the outbox as sent. */
  async markSent(now: Date): Promise<void> {
    await this.db
      .updateTable('announcements')
      .set({ status: 'sent', updated_at: now.toISOString() })
      .where('status', '=', 'scheduled')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox')
              .select('outbox.id')
              .whereRef('outbox.ref_id', '=', 'announcements.ref')
              .where('outbox.state', '=', 'pending'),
          ),
        ),
      )
      .execute();
  }

  /** Records a click on "OK, got it"; false when this person had already confirmed. */
  async confirm(ref: string, target: string, userKey: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('confirmations')
      .values({ ref_id: ref, target, user_key: userKey, at: now.toISOString() })
      .onConflict((oc) => oc.columns(['ref_id', 'user_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async confirmations(ref: string): Promise<Confirmation[]> {
    const rows = await this.db
      .selectFrom('confirmations')
      .select(['target', 'user_key', 'at'])
      .where('ref_id', '=', ref)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ target: r.target, userKey: r.user_key, at: r.at }));
  }
  /** Keeps a previewed announcement until `expiresAt`; expired drafts are deleted on the way. */
  async saveDraft(d: {
    id: string;
    createdBy: string;
    input: string;
    expiresAt: Date;
    now: Date;
  }): Promise<void> {
    await this.db.deleteFrom('announce_drafts').where('expires_at', '<', d.now.toISOString()).execute();
    await this.db
      .insertInto('announce_drafts')
      .values({
        draft_id: d.id,
        created_by: d.createdBy,
        input: d.input,
        expires_at: d.expiresAt.toISOString(),
      })
      .execute();
  }

  /**
   * Takes a draft for Confirm: deletes it and returns its input, in one statement, so two clicks
   * (or two instances) cannot both create the announcement. Undefined when it is unknown, expired
   * or someone else's.
   */
  async takeDraft(id: string, createdBy: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .deleteFrom('announce_drafts')
      .where('draft_id', '=', id)
      .where('created_by', '=', createdBy)
      .where('expires_at', '>=', now.toISOString())
      .returning('input')
      .executeTakeFirst();
    return row?.input;
  }

  /** Cancel: drops the draft if it is this coordinator's. */
  async dropDraft(id: string, createdBy: string): Promise<void> {
    await this.db
      .deleteFrom('announce_drafts')
      .where('draft_id', '=', id)
      .where('created_by', '=', createdBy)
      .execute();
  }
}
