/**
 * A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temp folder, on a free local
 * port, as an unprivileged user when running as root (initdb refuses root). Tests read its URL with
 * `inject('postgresUrl')` (see test/helpers/postgres.ts). When it cannot start, tests that need it
 * are skipped with the printed reason, unless CI=true or KOBAN_REQUIRE_POSTGRES=1: then the run fails.
 * KOBAN_TEST_DATABASE_URL set by the caller uses that server instead.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's URL (database "postgres", superuser "koban", no password), or '' when none. */
    postgresUrl: string;
    /** Why there is no cluster, when there is none. */
    postgresSkipReason: string;
  }
}

const USER = 'koban-ci';

function binDir(): string | undefined {
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return join(initdb, '..');
  } catch {
    // not on PATH: look where Debian puts it
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The uid/gid to run the server as: ourselves, or (as root) an unprivileged system user, created when missing. */
function serverUser(): { uid: number; gid: number; name?: string } {
  const uid = process.getuid?.() ?? 1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? uid };
  try {
    execFileSync('id', ['-u', USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g'), name: USER };
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.KOBAN_TEST_DATABASE_URL?.trim();
  if (given) {
    project.provide('postgresUrl', given);
    project.provide('postgresSkipReason', '');
    return undefined;
  }
  const required = process.env.CI === 'true' || process.env.KOBAN_REQUIRE_POSTGRES === '1';
  let dir: string | undefined;
  let stop: (() => void) | undefined;
  try {
    const bin = binDir();
    if (!bin) throw new Error('no initdb found (apt-get install -y postgresql)');
    const user = serverUser();
    dir = mkdtempSync(join(tmpdir(), 'koban-pg-'));
    chmodSync(dir, 0o700);
    chownSync(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    const port = await freePort();
    const run = (cmd: string, args: string[]) =>
      user.name
        ? execFileSync('runuser', ['-u', user.name, '--', join(bin, cmd), ...args], {
            stdio: 'pipe',
            cwd: dir,
          })
        : execFileSync(join(bin, cmd), args, { stdio: 'pipe', cwd: dir });
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'koban', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    const cluster = dir;
    stop = () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(cluster, { recursive: true, force: true });
      }
    };
    const url = `postgres://koban@127.0.0.1:${port}/postgres`;
    process.env.KOBAN_TEST_DATABASE_URL = url;
    project.provide('postgresUrl', url);
    project.provide('postgresSkipReason', '');
    return stop;
  } catch (err) {
    stop?.();
    if (dir && !stop) rmSync(dir, { recursive: true, force: true });
    const detail =
      err instanceof Error
        ? (err as { stderr?: Buffer }).stderr?.toString().trim() || err.message
        : String(err);
    const reason = `PostgreSQL test server could not start: ${detail}`;
    if (required)
      throw new Error(`${reason} (CI=true or KOBAN_REQUIRE_POSTGRES=1: PostgreSQL tests are required)`);
    process.stderr.write(`\n[koban] ${reason}; tests against PostgreSQL are skipped.\n\n`);
    project.provide('postgresUrl', '');
    project.provide('postgresSkipReason', reason);
    return undefined;
  }
}
