import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unansweredReport } from '../../src/cli/unanswered.js';
import { koban } from '../helpers/spawn.js';

function report(path: string, options = {}): string[] {
  const lines: string[] = [];
  expect(unansweredReport(path, options, (s) => lines.push(s))).toBe(0);
  return lines;
}

describe('koban unanswered', () => {
  it('lists what the bot could not answer, most asked first, from the log the bot writes', async () => {
    const data = mkdtempSync(join(tmpdir(), 'koban-unanswered-'));
    const input = ['bitcoin price today', 'Bitcoin price today?!', 'ビットコインの価格は', 'what is a koban']
      .map((text) => JSON.stringify({ text }))
      .join('\n');
    const asked = await koban(['ask', '--jsonl'], { input: `${input}\n`, env: { KOBAN_DATA_DIR: data } });
    expect(asked.code).toBe(0);
    const { code, stdout } = await koban(['unanswered'], { env: { KOBAN_DATA_DIR: data } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 unanswered message\(s\), 2 different/m);
    expect(stdout).toMatch(/^ {3}2 {2}en {2}bitcoin price today/m);
    expect(stdout).toMatch(/^ {3}1 {2}ja {2}ビットコインの価格は/m);
    expect(stdout).not.toContain('what is a koban');
    // Spawns the CLI (which loads the knowledge base) twice: slow on a busy machine.
  }, 60_000);

  it('filters by language, skips unreadable lines and copes with no log yet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-unanswered-'));
    const path = join(dir, 'unanswered.jsonl');
    const line = (lang: string, text: string) =>
      JSON.stringify({
        at: '2026-12-01T00:00:00Z',
        platform: 'cli',
        user: 'u',
        lang,
        text,
        confidence: 0.2,
        suggestions: [],
      });
    writeFileSync(
      path,
      [
        line('en', 'weather in Paris'),
        '{not json',
        line('xx', 'bad language'),
        line('id', 'cuaca di Paris'),
      ].join('\n'),
    );
    const lines = report(path, { lang: 'id' });
    expect(lines[0]).toBe(`1 unanswered message(s), 1 different, in ${path}`);
    expect(lines.some((l) => l.includes('weather in Paris'))).toBe(false);
    expect(lines).toContain('2 line(s) could not be read and were skipped');
    expect(report(join(dir, 'missing.jsonl'))[0]).toMatch(/no unanswered questions recorded yet/);
  });

  it('refuses an unknown language or a bad limit with a usage message', async () => {
    const bad = await koban(['unanswered', '--lang', 'xx']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown language "xx"');
    const limit = await koban(['unanswered', '--limit', 'many']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit takes a positive whole number');
  });
});
