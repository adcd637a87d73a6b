/** The test PostgreSQL server (test/global-setup/postgres.ts): one fresh database per caller. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, inject } from 'vitest';
import type { PostgresSettings } from '../../src/stores/db.js';
import { StoreOpenError } from '../../src/stores/errors.js';
import { KyselyStore, type StoreOptions } from '../../src/stores/kysely-store.js';

/** The server's URL, or undefined when it could not start (then `postgresSkipReason()` says why). */
export function postgresUrl(): string | undefined {
  return inject('postgresUrl') || undefined;
}

export function postgresSkipReason(): string {
  return inject('postgresSkipReason');
}

/** Creates an empty database on the test server and returns its URL. */
export async function freshDatabase(): Promise<string> {
  const base = postgresUrl();
  if (!base) throw new Error(postgresSkipReason());
  const name = `koban_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function settings(url: string): PostgresSettings {
  return { url, poolSize: 5, ssl: 'disable', statementTimeoutMs: 10_000, connectTimeoutMs: 3000 };
}

/** Opens a store on one dialect; each call gets its own empty database or file unless `path`/`url` is reused. */
export interface StoreFactory {
  name: 'sqlite' | 'postgres';
  /** Skip the suite when the dialect is not available. */
  skip: boolean;
  /** A new place for data: a SQLite path or a fresh PostgreSQL database URL. */
  place(): Promise<string>;
  open(place: string, options?: Omit<StoreOptions, 'path' | 'postgres'>): Promise<KyselyStore>;
}

export const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  skip: false,
  place: async () => join(mkdtempSync(join(tmpdir(), 'koban-store-')), 'koban.db'),
  open: (place, options = {}) => KyselyStore.open({ ...options, path: place }),
};

export const postgresFactory: StoreFactory = {
  name: 'postgres',
  skip: postgresUrl() === undefined,
  place: freshDatabase,
  open: (place, options = {}) => KyselyStore.open({ ...options, path: place, postgres: settings(place) }),
};

/** Both dialects, for `describe.each(storeFactories)`; PostgreSQL is skipped (reason printed at setup) when it cannot start. */
export const storeFactories: StoreFactory[] = [sqliteFactory, postgresFactory];

/**
 * Settings for a runtime on `name`: a fresh PostgreSQL database (`KOBAN_DATABASE_URL`), or none
 * (SQLite) for 'sqlite' or when PostgreSQL is unavailable, then with the reason printed.
 */
export async function databaseEnv(name: StoreFactory['name']): Promise<Record<string, string>> {
  if (name === 'sqlite') return {};
  if (!postgresUrl()) {
    process.stderr.write(`[postgres] not available, running on SQLite instead: ${postgresSkipReason()}\n`);
    return {};
  }
  return { KOBAN_DATABASE_URL: await freshDatabase() };
}

/** The error opening a store with `options` fails with (the test fails when it opens). */
export async function openError(options: StoreOptions): Promise<StoreOpenError> {
  const err = await KyselyStore.open(options).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreOpenError);
  return err as StoreOpenError;
}

/** A valid visit request, for the store tests. */
export const visitInput = {
  organization: 'Org',
  country: 'Japan',
  contactName: 'A',
  contactEmail: 'a@example.org',
  groupSize: 3,
  preferredDates: ['2027-03-15'],
  interests: ['koban' as const],
  language: 'English',
  interpreter: false,
};
