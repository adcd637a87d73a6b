/**
 * Visit requests, their status history and drafts. Each change (the request, its history row, its
 * audit entry) is one transaction.
 */
import type { Kysely, QueryResult, Selectable } from 'kysely';
import { z } from 'zod';
import { isLang, type Lang } from '../core/languages.js';
import { formatRef } from '../engines/visits/reference.js';
import { INTERESTS, type Interest, type VisitRequestInput } from '../engines/visits/request.js';
import { CLOSED, isStatus, type VisitStatus } from '../engines/visits/status.js';
import type { AuditRepo } from './audit.js';
import { isUniqueViolation } from './db.js';
import { hotQuery } from './hot-query.js';
import type { Database, VisitDraftsTable, VisitRequestsTable } from './schema.js';

/** Tries at a new reference when another instance took the same number at the same moment. */
const SUBMIT_ATTEMPTS = 20;

export interface StatusChange {
  status: VisitStatus;
  actor: string;
  note?: string;
  at: string;
}

export interface VisitRecord extends VisitRequestInput {
  ref: string;
  status: VisitStatus;
  requester: string;
  requesterLang: Lang;
  visitDate?: string;
  meetingPoint?: string;
  createdAt: string;
  updatedAt: string;
  history: StatusChange[];
}

export interface Draft {
  data: Record<string, unknown>;
  step: number;
}

const stringList = z.array(z.string());
const interestList = z.array(z.enum(INTERESTS));

function parseList<T>(json: string, schema: z.ZodType<T[]>): T[] {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function toRecord(r: Selectable<VisitRequestsTable>, history: StatusChange[]): VisitRecord {
  const interests: Interest[] = parseList(r.interests, interestList);
  return {
    ref: r.ref,
    status: isStatus(r.status) ? r.status : 'submitted',
    requester: r.requester,
    requesterLang: isLang(r.requester_lang) ? r.requester_lang : 'en',
    organization: r.organization,
    country: r.country,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    groupSize: r.group_size,
    preferredDates: parseList(r.preferred_dates, stringList),
    interests,
    language: r.language,
    interpreter: r.interpreter === 1,
    ...(r.needs !== null ? { needs: r.needs } : {}),
    ...(r.notes !== null ? { notes: r.notes } : {}),
    ...(r.visit_date !== null ? { visitDate: r.visit_date } : {}),
    ...(r.meeting_point !== null ? { meetingPoint: r.meeting_point } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    history,
  };
}

export type ChangeResult =
  | { ok: true; record: VisitRecord }
  | { ok: false; reason: 'not-found' | 'not-allowed' };

export class VisitRepo {
  /** Read on every message (the visit handler's match): compiled once (`hot-query.ts`). */
  private readonly draftRead: (userKey: string) => Promise<QueryResult<Selectable<VisitDraftsTable>>>;
  private readonly requesterRead: (requester: string) => Promise<QueryResult<Selectable<VisitRequestsTable>>>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepo,
  ) {
    this.draftRead = hotQuery(db, 1, (userKey: string) =>
      db.selectFrom('visit_drafts').selectAll().where('user_key', '=', userKey),
    );
    this.requesterRead = hotQuery(db, 1, (requester: string) =>
      db.selectFrom('visit_requests').selectAll().where('requester', '=', requester).orderBy('id'),
    );
  }

  /** Stores a validated request with the next reference of `now`'s year; returns the reference. */
  async submit(
    input: VisitRequestInput,
    who: { requester: string; lang: Lang },
    now: Date,
  ): Promise<{ ref: string; status: VisitStatus }> {
    // Two instances may pick the same next number at once: the loser takes the one after.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.submitOnce(input, who, now);
      } catch (err) {
        if (attempt >= SUBMIT_ATTEMPTS || !isUniqueViolation(err)) throw err;
      }
    }
  }

  private async submitOnce(
    input: VisitRequestInput,
    who: { requester: string; lang: Lang },
    now: Date,
  ): Promise<{ ref: string; status: VisitStatus }> {
    const at = now.toISOString();
    const year = now.getUTCFullYear();
    return await this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('visit_requests')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('year', '=', year)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const ref = formatRef(year, seq);
      const inserted = await trx
        .insertInto('visit_requests')
        .values({
          ref,
          year,
          seq,
          status: 'submitted',
          requester: who.requester,
          requester_lang: who.lang,
          organization: input.organization,
          country: input.country,
          contact_name: input.contactName,
          contact_email: input.contactEmail,
          group_size: input.groupSize,
          preferred_dates: JSON.stringify(input.preferredDates),
          interests: JSON.stringify(input.interests),
          language: input.language,
          interpreter: input.interpreter ? 1 : 0,
          needs: input.needs ?? null,
          notes: input.notes ?? null,
          visit_date: null,
          meeting_point: null,
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('visit_status_history')
        .values({ request_id: inserted.id, status: 'submitted', actor: who.requester, note: null, at })
        .execute();
      await this.audit.record(
        { at, actor: who.requester, action: 'visit.submit', target: ref, outcome: 'ok' },
        trx,
      );
      return { ref, status: 'submitted' as const };
    });
  }

  async get(ref: string, db: Kysely<Database> = this.db): Promise<VisitRecord | undefined> {
    const row = await db.selectFrom('visit_requests').selectAll().where('ref', '=', ref).executeTakeFirst();
    if (!row) return undefined;
    const history = await db
      .selectFrom('visit_status_history')
      .select(['status', 'actor', 'note', 'at'])
      .where('request_id', '=', row.id)
      .orderBy('id')
      .execute();
    return toRecord(
      row,
      history.map((h) => ({
        status: isStatus(h.status) ? h.status : 'submitted',
        actor: h.actor,
        at: h.at,
        ...(h.note !== null ? { note: h.note } : {}),
      })),
    );
  }

  async list(
    filter: { status?: VisitStatus | undefined; requester?: string | undefined } = {},
  ): Promise<VisitRecord[]> {
    if (filter.requester && !filter.status) {
      return (await this.requesterRead(filter.requester)).rows.map((r) => toRecord(r, []));
    }
    let q = this.db.selectFrom('visit_requests').selectAll().orderBy('id');
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.requester) q = q.where('requester', '=', filter.requester);
    const rows = await q.execute();
    return rows.map((r) => toRecord(r, []));
  }

  /** Approved visits per day, for capacity. */
  async bookings(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('visit_requests')
      .select(['visit_date', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'approved')
      .where('visit_date', 'is not', null)
      .groupBy('visit_date')
      .execute();
    return new Map(rows.flatMap((r) => (r.visit_date ? [[r.visit_date, Number(r.n)] as const] : [])));
  }

  /**
   * Moves a request to `status` when `allowed(current)` holds: the update, its history row and its
   * audit entry are one transaction.
   */
  async change(
    ref: string,
    change: {
      status: VisitStatus;
      actor: string;
      action: string;
      allowed: (current: VisitStatus) => boolean;
      note?: string | undefined;
      visitDate?: string | undefined;
      meetingPoint?: string | undefined;
    },
    now: Date,
  ): Promise<ChangeResult> {
    const at = now.toISOString();
    return await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('visit_requests')
        .select(['id', 'status'])
        .where('ref', '=', ref)
        .executeTakeFirst();
      if (!row) return { ok: false, reason: 'not-found' } as const;
      if (!isStatus(row.status) || !change.allowed(row.status)) {
        await this.audit.record(
          {
            at,
            actor: change.actor,
            action: change.action,
            target: ref,
            outcome: 'refused',
            detail: `status ${row.status}`,
          },
          trx,
        );
        return { ok: false, reason: 'not-allowed' } as const;
      }
      await trx
        .updateTable('visit_requests')
        .set({
          status: change.status,
          updated_at: at,
          ...(change.visitDate !== undefined ? { visit_date: change.visitDate } : {}),
          ...(change.meetingPoint !== undefined ? { meeting_point: change.meetingPoint } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      await trx
        .insertInto('visit_status_history')
        .values({
          request_id: row.id,
          status: change.status,
          actor: change.actor,
          note: change.note ?? null,
          at,
        })
        .execute();
      await this.audit.record(
        { at, actor: change.actor, action: change.action, target: ref, outcome: 'ok', detail: change.status },
        trx,
      );
      const record = await this.get(ref, trx);
      if (!record) return { ok: false, reason: 'not-found' } as const;
      return { ok: true, record } as const;
    });
  }

  /**
   * Deletes closed requests (declined, cancelled, approved with the visit day past) last changed
   * before `before`, with their history; returns how many. The audit log keeps only references.
   */
  async purge(before: Date, actor: string, now: Date): Promise<number> {
    const cutoff = before.toISOString();
    const cutoffDay = cutoff.slice(0, 10);
    return await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('visit_requests')
        .select(['id', 'status', 'visit_date'])
        .where('status', 'in', [...CLOSED])
        .where('updated_at', '<', cutoff)
        .execute();
      const ids = rows
        .filter((r) => r.status !== 'approved' || (r.visit_date !== null && r.visit_date < cutoffDay))
        .map((r) => r.id);
      if (ids.length > 0) {
        await trx.deleteFrom('visit_status_history').where('request_id', 'in', ids).execute();
        await trx.deleteFrom('visit_requests').where('id', 'in', ids).execute();
      }
      await this.audit.record(
        {
          at: now.toISOString(),
          actor,
          action: 'visit.purge',
          outcome: 'ok',
          detail: `${ids.length} deleted`,
        },
        trx,
      );
      return ids.length;
    });
  }

  async draft(userKey: string): Promise<Draft | undefined> {
    const row = (await this.draftRead(userKey)).rows[0];
    if (!row) return undefined;
    try {
      const data = z.record(z.string(), z.unknown()).safeParse(JSON.parse(row.data));
      return data.success ? { data: data.data, step: row.step } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Forgets half-filled forms untouched since `before` (retention). */
  async dropDraftsBefore(before: Date): Promise<void> {
    await this.db.deleteFrom('visit_drafts').where('updated_at', '<', before.toISOString()).execute();
  }

  async saveDraft(userKey: string, draft: Draft, now: Date): Promise<void> {
    const values = { data: JSON.stringify(draft.data), step: draft.step, updated_at: now.toISOString() };
    await this.db
      .insertInto('visit_drafts')
      .values({ user_key: userKey, ...values })
      .onConflict((oc) => oc.column('user_key').doUpdateSet(values))
      .execute();
  }

  async dropDraft(userKey: string): Promise<void> {
    await this.db.deleteFrom('visit_drafts').where('user_key', '=', userKey).execute();
  }
}
