/** `koban db migrate | status | copy`: the database's schema and moving data between databases. */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { postgresSettings } from '../main.js';
import { copyDatabase } from '../stores/copy.js';
import { type OpenedDatabase, openPostgres, openSqlite, type PostgresSettings } from '../stores/db.js';
import { KyselyStore } from '../stores/kysely-store.js';
import { migrationNames } from '../stores/migrations.js';
import { parse, UsageError } from './args.js';

/** A database named on the command line: `sqlite:PATH` or a `postgres://` URL. */
type Place = { kind: 'sqlite'; path: string } | { kind: 'postgres'; settings: PostgresSettings };

function place(value: string, config: Config, option: string): Place {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path) return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\/\S+$/.test(value)) {
    const base = postgresSettings({ ...config, KOBAN_DATABASE_URL: value });
    if (base) return { kind: 'postgres', settings: base };
  }
  throw new UsageError(
    `${option} takes sqlite:PATH or postgres://user:password@host:5432/database (got "${value}")`,
  );
}

/** The configured database: KOBAN_DATABASE_URL, else the SQLite file. */
function configured(config: Config): Place {
  const settings = postgresSettings(config);
  return settings ? { kind: 'postgres', settings } : { kind: 'sqlite', path: config.dbPath };
}

function openStoreAt(p: Place): Promise<KyselyStore> {
  return p.kind === 'sqlite'
    ? KyselyStore.open({ path: p.path })
    : KyselyStore.open({ path: p.settings.url, postgres: p.settings });
}

async function openRaw(p: Place): Promise<OpenedDatabase> {
  return p.kind === 'sqlite' ? openSqlite(p.path) : await openPostgres(p.settings);
}

async function applied(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'koban_migration')) return [];
  const rows = await db
    .selectFrom('koban_migration' as never)
    .select('name' as never)
    .execute();
  return (rows as { name: string }[]).map((r) => r.name).sort();
}

export async function dbCli(argv: string[], config: Config, out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'status': {
      parse(rest, {});
      const opened = await openRaw(configured(config));
      try {
        const done = await applied(opened.db as Kysely<unknown>);
        const pending = migrationNames(opened.dialect).filter((n) => !done.includes(n));
        out(`database: ${opened.location} (${opened.dialect})`);
        out(`applied: ${done.length} migration(s)${done.length ? `, last ${done[done.length - 1]}` : ''}`);
        out(pending.length ? `pending: ${pending.join(', ')} (run "koban db migrate")` : 'up to date');
        return pending.length ? 1 : 0;
      } finally {
        await opened.db.destroy();
      }
    }
    case 'migrate': {
      parse(rest, {});
      const store = await openStoreAt(configured(config));
      try {
        const done = await applied(store.db as Kysely<unknown>);
        out(
          `database: ${store.location} (${store.dialect}): up to date, ${done.length} migration(s) applied`,
        );
        return 0;
      } finally {
        await store.close();
      }
    }
    case 'copy': {
      const { values } = parse(rest, {
        from: { type: 'string' },
        to: { type: 'string' },
        force: { type: 'boolean' },
      });
      if (!values.from || !values.to) throw new UsageError('db copy needs --from and --to');
      // Both names are checked before either database is opened (or migrated).
      const source = place(values.from, config, '--from');
      const target = place(values.to, config, '--to');
      const from = await openStoreAt(source);
      try {
        const to = await openStoreAt(target);
        try {
          const result = await copyDatabase(from, to, { force: values.force === true });
          for (const t of result.tables) out(`${t.table}: ${t.rows} row(s)`);
          out(`copied ${from.location} to ${to.location}; row counts match`);
          return 0;
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    }
    default:
      throw new UsageError('db takes "migrate", "status" or "copy --from sqlite:PATH --to postgres://…"');
  }
}
