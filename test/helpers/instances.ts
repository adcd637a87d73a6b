/** Whole `koban start` processes for the scale-out tests, and a wait that polls a condition. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './spawn.js';

export interface Instance {
  child: ChildProcess;
  /** What the process has written to stderr so far (its log lines). */
  log: () => string;
}

const children: ChildProcess[] = [];

/** Starts `koban start` with only `env` (plus PATH and TZ=UTC); stop it with `killInstances()`. */
export function startInstance(env: Record<string, string>): Instance {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), 'start'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let text = '';
  child.stderr?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return { child, log: () => text };
}

/** Kills (-9) every instance still running. */
export function killInstances(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Polls `condition` every 25 ms; resolves with the wait in ms, or rejects naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}
