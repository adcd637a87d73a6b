/**
 * `koban announce …`: announcements from the command line. The CLI only writes to the store; the
 * running bot's outbox worker delivers (so a post never goes out twice, from two processes).
 * Exit codes: 0 done, 1 invalid data or not found, 2 usage error, 3 `--by` is not a coordinator.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Lang } from '../core/languages.js';
import { type ChangeResult, localizeAnnounceErrors } from '../engines/announcements/announcement-service.js';
import { ScheduleService } from '../engines/schedule/schedule-service.js';
import { parseActor } from '../engines/visits/coordinators.js';
import { I18nService } from '../i18n/i18n.js';
import { silentLogger } from '../logger.js';
import { announcementService, openStore } from '../main.js';
import { parse, parseLangOption, parseNow, UsageError } from './args.js';

type Out = (s: string) => void;

const SUBCOMMANDS = ['create', 'list', 'status', 'cancel', 'withdraw', 'correct'] as const;
const REF = /^A-\d{1,9}$/i;

function readJson(file: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

function refArg(positionals: string[], sub: string): string {
  const ref = positionals[0]?.trim().toUpperCase() ?? '';
  if (!REF.test(ref)) throw new UsageError(`announce ${sub} needs an announcement id such as A-17`);
  return ref;
}

export async function announceCli(argv: string[], config: Config, out: Out): Promise<number> {
  const [sub, ...rest] = argv;
  if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]))
    throw new UsageError(`announce takes ${SUBCOMMANDS.join(', ')}`);
  const takesFile = sub === 'create' || sub === 'correct';
  const { values, positionals } = parse(rest, {
    json: { type: takesFile ? 'string' : 'boolean' },
    by: { type: 'string' },
    'dry-run': { type: 'boolean' },
    lang: { type: 'string' },
    now: { type: 'string' },
  });
  const lang: Lang = parseLangOption(values.lang) ?? 'en';
  const now = parseNow(values.now);
  const clock = () => now ?? new Date();
  const i18n = new I18nService();
  const t = i18n.t(lang, 'announcements');
  const byActor = () => {
    const by = values.by ? parseActor(values.by) : undefined;
    if (!by) throw new UsageError(`announce ${sub} needs --by PLATFORM:USERID (a coordinator)`);
    return by;
  };
  const notCoordinator = () => {
    process.stderr.write(
      `koban: ${values.by} is not a coordinator (KOBAN_COORDINATORS); nothing was changed and the attempt was audited\n`,
    );
    return 3;
  };

  const store = await openStore(config, { clock });
  try {
    const schedules = new ScheduleService(config.KOBAN_KNOWLEDGE, silentLogger());
    const service = announcementService(config, store, schedules, i18n, clock);
    const jsonUnreadable = (detail: string): number => {
      out(
        JSON.stringify({
          errors: localizeAnnounceErrors([{ field: 'json', code: 'invalid', params: { detail } }], t),
        }),
      );
      return 1;
    };
    const changed = (result: ChangeResult, ref: string): number => {
      if (result.ok) {
        out(JSON.stringify(result));
        return 0;
      }
      if (result.reason === 'not-coordinator') return notCoordinator();
      if (result.reason === 'invalid') {
        out(JSON.stringify({ errors: localizeAnnounceErrors(result.errors, t) }));
        return 1;
      }
      process.stderr.write(
        result.reason === 'not-found'
          ? `koban: no announcement ${ref}\n`
          : `koban: ${ref} is already cancelled or withdrawn; nothing was changed\n`,
      );
      return 1;
    };

    switch (sub) {
      case 'create': {
        const file = typeof values.json === 'string' ? values.json : undefined;
        if (!file) throw new UsageError('announce create needs --json FILE (or --json - for stdin)');
        const by = byActor();
        const input = readJson(file);
        if (!input.ok) return jsonUnreadable(input.detail);
        if (values['dry-run']) {
          if (!service.coordinators.isCoordinator(by)) {
            await service.allowed(by, 'announce.preview');
            return notCoordinator();
          }
          const planned = await service.plan(input.value);
          if (!planned.ok) {
            out(JSON.stringify({ errors: localizeAnnounceErrors(planned.errors, t) }));
            return 1;
          }
          const targets = planned.targets.map((p) => ({
            target: p.target,
            lang: p.lang,
            text: p.preview.text,
            notes: p.preview.notes,
          }));
          out(JSON.stringify({ dueAt: planned.dueAt, targets }));
          return 0;
        }
        const result = await service.create(input.value, by);
        if (result.ok) {
          out(JSON.stringify({ id: result.id, status: result.status }));
          return 0;
        }
        if (result.reason === 'not-coordinator') return notCoordinator();
        out(JSON.stringify({ errors: localizeAnnounceErrors(result.errors, t) }));
        return 1;
      }
      case 'list': {
        const records = await service.list();
        const rows = records.map((r) => ({
          id: r.ref,
          status: r.status,
          dueAt: r.dueAt,
          createdBy: r.createdBy,
        }));
        if (values.json) out(JSON.stringify(rows));
        else if (rows.length === 0) out('no announcements');
        else for (const r of rows) out(`${r.id.padEnd(8)}${r.status.padEnd(11)}${r.dueAt}  ${r.createdBy}`);
        return 0;
      }
      case 'status': {
        const ref = refArg(positionals, sub);
        const view = await service.status(ref);
        if (!view) {
          process.stderr.write(`koban: no announcement ${ref}\n`);
          return 1;
        }
        if (values.json) {
          out(JSON.stringify({ id: view.id, status: view.status, dueAt: view.dueAt, targets: view.targets }));
          return 0;
        }
        out(`${view.id}  ${view.status}  ${view.dueAt}  by ${view.createdBy}`);
        for (const target of view.targets)
          out(
            `  ${target.target.padEnd(26)}${target.lang.join('+').padEnd(9)}${target.state.padEnd(10)}confirmed ${target.confirmedBy.length}${target.error ? `  (${target.error})` : ''}`,
          );
        return 0;
      }
      case 'cancel':
      case 'withdraw': {
        const ref = refArg(positionals, sub);
        const by = byActor();
        return changed(
          sub === 'cancel' ? await service.cancel(ref, by) : await service.withdraw(ref, by),
          ref,
        );
      }
      case 'correct': {
        const ref = refArg(positionals, sub);
        const file = typeof values.json === 'string' ? values.json : undefined;
        if (!file) throw new UsageError('announce correct needs --json FILE (or --json - for stdin)');
        const by = byActor();
        const input = readJson(file);
        if (!input.ok) return jsonUnreadable(input.detail);
        return changed(await service.correct(ref, input.value, by), ref);
      }
      default:
        return 2;
    }
  } finally {
    await store.close();
  }
}
