import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { koban } from '../helpers/spawn.js';

describe('koban unanswered', () => {
  it('lists what the bot could not answer, most asked first, from the store the bot writes', async () => {
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

  it('imports the first release’s unanswered.jsonl once, skipping unreadable lines, and filters by language', async () => {
    const data = mkdtempSync(join(tmpdir(), 'koban-unanswered-'));
    const path = join(data, 'unanswered.jsonl');
    const line = (lang: string, text: string) =>
      JSON.stringify({
        at: '2099-12-01T00:00:00Z',
        platform: 'cli',
        user: 'cli:u',
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
        line('id', 'cuaca di Paris, hubungi saya di budi@example.co.id'),
      ].join('\n'),
    );
    const env = { KOBAN_DATA_DIR: data };
    const first = await koban(['unanswered', '--lang', 'id'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^1 unanswered message\(s\), 1 different/m);
    expect(first.stdout).toContain('cuaca di Paris, hubungi saya di [email]');
    expect(first.stdout).not.toContain('budi@example');
    expect(first.stdout).not.toContain('weather in Paris');
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.imported`)).toBe(true);
    // A second run does not import again (the file is gone, and the store remembers the import).
    writeFileSync(path, line('en', 'weather in Paris'));
    const all = await koban(['unanswered'], { env });
    expect(all.stdout).toMatch(/^2 unanswered message\(s\), 2 different/m);
  }, 60_000);

  it('says so when nothing was recorded yet', async () => {
    const { code, stdout } = await koban(['unanswered']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/no unanswered questions recorded/);
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
