import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { koban, ROOT } from '../helpers/spawn.js';

// The bundle `npm run build` makes, built here into a folder of its own inside the package.
mkdirSync(join(ROOT, 'test-output'), { recursive: true });
const outside = mkdtempSync(join(ROOT, 'test-output', 'bundle-'));
const bundleDir = join(outside, 'dist', 'bundle');
afterAll(() => rmSync(outside, { recursive: true, force: true }));

const knowledge = join(ROOT, 'test', 'fixtures', 'kb-small');
const input = [
  { text: 'what should I wear on a koban visit' },
  { text: 'what is a koban?' },
  { text: 'Koban nedir?' },
  { text: 'hello', lang: 'ja' },
  { text: "what's on tomorrow?", now: '2026-12-08T09:00:00+09:00' },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

describe('the esbuild bundle (dist/bundle)', () => {
  it('answers as the TypeScript sources do, with and without the index cache', async () => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), bundleDir], {
      encoding: 'utf8',
    });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const fromSources = await koban(['ask', '--jsonl', '--knowledge', knowledge], { input });
    expect(fromSources.code).toBe(0);
    expect(fromSources.stdout.trim().split('\n')).toHaveLength(5);
    const data = mkdtempSync(join(outside, 'data-'));
    // The first run builds the index cache; the second restores from it.
    for (let run = 0; run < 2; run++) {
      const fromBundle = spawnSync(
        process.execPath,
        [join(bundleDir, 'main.js'), 'ask', '--jsonl', '--knowledge', knowledge],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', KOBAN_DATA_DIR: data, TZ: 'UTC' },
          encoding: 'utf8',
          input,
        },
      );
      expect(fromBundle.stderr).toBe('');
      expect(fromBundle.stdout).toBe(fromSources.stdout);
    }
  });
});
