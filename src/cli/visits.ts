/**
 * `koban visits …` and `koban audit`: visit requests for the coordinators' office and for scripts.
 * Exit codes: 0 done, 1 invalid data or not found, 2 usage error, 3 `--by` is not a coordinator.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Lang } from '../core/languages.js';
import { Coordinators, parseActor } from '../engines/visits/coordinators.js';
import type { DecisionInput } from '../engines/visits/decision.js';
import { localizeErrors } from '../engines/visits/messages.js';
import { normalizeRef } from '../engines/visits/reference.js';
import { VISIT_FIELDS } from '../engines/visits/request.js';
import { readVisitRules } from '../engines/visits/rules-file.js';
import { isStatus, STATUSES } from '../engines/visits/status.js';
import { VisitService } from '../engines/visits/visit-service.js';
import { I18nService } from '../i18n/i18n.js';
import { openStore } from '../main.js';
import type { AuditEntry } from '../stores/audit.js';
import type { VisitRecord } from '../stores/visits.js';
import { parse, parseLangOption, parseNow, UsageError } from './args.js';

type Out = (s: string) => void;

const DAY_MS = 24 * 60 * 60 * 1000;

function positiveInt(value: string | undefined, option: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${option} takes a positive whole number`);
  return n;
}

function readInput(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

/** A record without contact details, for lists. */
function summary(r: VisitRecord) {
  return {
    ref: r.ref,
    status: r.status,
    organization: r.organization,
    country: r.country,
    groupSize: r.groupSize,
    preferredDates: r.preferredDates,
    ...(r.visitDate ? { visitDate: r.visitDate } : {}),
    createdAt: r.createdAt,
  };
}

const CSV_COLUMNS = [
  'ref',
  'status',
  ...VISIT_FIELDS,
  'visitDate',
  'meetingPoint',
  'createdAt',
  'updatedAt',
] as const;

/** RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let s = Array.isArray(value) ? value.join(' ') : value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function showText(r: VisitRecord, out: Out): void {
  out(`${r.ref}  ${r.status}`);
  const lines: [string, string | undefined][] = [
    ['organization', r.organization],
    ['country', r.country],
    ['contact', `${r.contactName} <${r.contactEmail}>`],
    ['group size', String(r.groupSize)],
    ['preferred dates', r.preferredDates.join(', ')],
    ['interests', r.interests.join(', ')],
    ['language', `${r.language}${r.interpreter ? ' (interpreter needed)' : ''}`],
    ['needs', r.needs],
    ['notes', r.notes],
    ['visit date', r.visitDate],
    ['meeting point', r.meetingPoint],
    ['requester', `${r.requester} (${r.requesterLang})`],
  ];
  for (const [k, v] of lines) if (v) out(`  ${k.padEnd(16)}${v}`);
  out('  history:');
  for (const h of r.history)
    out(`    ${h.at}  ${h.status.padEnd(11)}${h.actor}${h.note ? `  "${h.note}"` : ''}`);
}

export async function visitsCli(argv: string[], config: Config, out: Out): Promise<number> {
  const [sub, ...rest] = argv;
  const common = {
    lang: { type: 'string' },
    user: { type: 'string' },
    now: { type: 'string' },
    status: { type: 'string' },
    csv: { type: 'boolean' },
    approve: { type: 'boolean' },
    decline: { type: 'boolean' },
    'needs-info': { type: 'boolean' },
    by: { type: 'string' },
    date: { type: 'string' },
    'meeting-point': { type: 'string' },
    note: { type: 'string' },
    'older-than': { type: 'string' },
  } as const;
  // `submit` takes --json FILE; `list` and `show` take a bare --json flag.
  const jsonFile =
    sub === 'submit' ? parse(rest, { ...common, json: { type: 'string' } }).values.json : undefined;
  const { values, positionals } =
    sub === 'submit'
      ? parse(
          rest.filter((_, i) => rest[i] !== '--json' && rest[i - 1] !== '--json'),
          common,
        )
      : parse(rest, { ...common, json: { type: 'boolean' } });
  const jsonFlag = sub !== 'submit' && rest.includes('--json');
  const lang: Lang = parseLangOption(values.lang) ?? 'en';
  const now = parseNow(values.now);
  const clock = () => now ?? new Date();
  if (!['submit', 'list', 'show', 'export', 'decide', 'purge'].includes(sub ?? ''))
    throw new UsageError('visits takes submit, list, show, export, decide or purge');
  const status = values.status;
  if (status !== undefined && !isStatus(status))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')} (got "${status}")`);

  const store = await openStore(config, { clock });
  try {
    const service = new VisitService({
      visits: store.visits,
      audit: store.audit,
      rules: () => readVisitRules(config.KOBAN_KNOWLEDGE),
      coordinators: new Coordinators(config.KOBAN_COORDINATORS),
      clock,
    });
    const t = new I18nService().t(lang, 'visits');
    switch (sub) {
      case 'submit': {
        if (!jsonFile) throw new UsageError('visits submit needs --json FILE (or --json - for stdin)');
        const requester = values.user ? parseActor(values.user) : { platform: 'cli', userId: 'office' };
        if (!requester) throw new UsageError('--user takes PLATFORM:USERID, e.g. slack:U0123');
        let raw: unknown;
        try {
          raw = JSON.parse(readInput(jsonFile));
        } catch (err) {
          const detail = err instanceof Error ? err.message : String(err);
          out(
            JSON.stringify({
              errors: localizeErrors([{ field: 'json', code: 'invalidJson', params: { detail } }], t),
            }),
          );
          return 1;
        }
        const result = await service.submit(raw, requester, lang);
        if (!result.ok) {
          out(JSON.stringify({ errors: localizeErrors(result.errors, t) }));
          return 1;
        }
        out(JSON.stringify({ ref: result.ref, status: result.status }));
        return 0;
      }
      case 'list': {
        const records = await store.visits.list({ status: status && isStatus(status) ? status : undefined });
        if (jsonFlag) out(JSON.stringify(records.map(summary)));
        else if (records.length === 0) out('no visit requests');
        else
          for (const r of records)
            out(
              `${r.ref}  ${r.status.padEnd(10)} ${String(r.groupSize).padStart(3)}  ${(r.visitDate ?? r.preferredDates.join(',')).padEnd(33)} ${r.organization} (${r.country})`,
            );
        return 0;
      }
      case 'show': {
        const ref = normalizeRef(positionals[0] ?? '');
        if (!ref) throw new UsageError('visits show needs a reference such as V-2027-0042');
        const record = await store.visits.get(ref);
        if (!record) {
          process.stderr.write(`koban: no visit request ${ref}\n`);
          return 1;
        }
        if (jsonFlag) out(JSON.stringify(record));
        else showText(record, out);
        return 0;
      }
      case 'export': {
        if (!values.csv) throw new UsageError('visits export takes --csv');
        out(CSV_COLUMNS.join(','));
        for (const r of await store.visits.list()) out(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
        return 0;
      }
      case 'decide': {
        const ref = normalizeRef(positionals[0] ?? '');
        if (!ref) throw new UsageError('visits decide needs a reference such as V-2027-0042');
        const kinds = (['approve', 'decline', 'needs-info'] as const).filter((k) => values[k]);
        const kind = kinds[0];
        if (kinds.length !== 1 || !kind)
          throw new UsageError('visits decide takes one of --approve, --decline, --needs-info');
        const by = values.by ? parseActor(values.by) : undefined;
        if (!by) throw new UsageError('visits decide needs --by PLATFORM:USERID (a coordinator)');
        const decision: DecisionInput = {
          kind,
          date: values.date,
          meetingPoint: values['meeting-point'],
          note: values.note,
        };
        const result = await service.decide(ref, decision, by);
        if (result.ok) {
          out(JSON.stringify({ ref, status: result.record.status }));
          return 0;
        }
        if (result.reason === 'not-coordinator') {
          process.stderr.write(
            `koban: ${values.by} is not a coordinator (KOBAN_COORDINATORS); nothing was changed and the attempt was audited\n`,
          );
          return 3;
        }
        if (result.reason === 'invalid') {
          out(JSON.stringify({ errors: localizeErrors(result.errors, t) }));
          return 1;
        }
        process.stderr.write(
          result.reason === 'not-found'
            ? `koban: no visit request ${ref}\n`
            : `koban: ${ref} is already decided or cancelled; nothing was changed\n`,
        );
        return 1;
      }
      case 'purge': {
        const days = positiveInt(values['older-than'], '--older-than');
        const n = await store.visits.purge(
          new Date(clock().getTime() - days * DAY_MS),
          'cli:office',
          clock(),
        );
        out(`deleted ${n} closed visit request(s) last changed more than ${days} day(s) ago`);
        return 0;
      }
      default:
        return 2;
    }
  } finally {
    await store.close();
  }
}

export async function auditCli(argv: string[], config: Config, out: Out): Promise<number> {
  const { values } = parse(argv, { since: { type: 'string' }, json: { type: 'boolean' } });
  const since = parseNow(values.since);
  const store = await openStore(config);
  try {
    const entries: AuditEntry[] = await store.audit.list({ since: since?.toISOString() });
    if (values.json) out(JSON.stringify(entries));
    else if (entries.length === 0) out('no audit entries');
    else
      for (const e of entries)
        out(
          `${e.at}  ${e.outcome.padEnd(8)}${e.actor.padEnd(20)}${e.action.padEnd(18)}${e.target ?? ''}${e.detail ? `  ${e.detail}` : ''}`,
        );
    return 0;
  } finally {
    await store.close();
  }
}
