/** Runs the real `koban` CLI as a separate process, as scripts and operators do. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function koban(
  args: string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    /** Run in this folder, with no KOBAN_DATA_DIR set (the folder's `.env` decides). */
    cwd?: string;
  } = {},
): Promise<RunResult> {
  const data = options.cwd ? undefined : mkdtempSync(join(tmpdir(), 'koban-cli-'));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), ...args],
      {
        cwd: options.cwd ?? ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ...(data ? { KOBAN_DATA_DIR: data } : {}),
          TZ: process.env.TZ ?? 'UTC',
          ...options.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
