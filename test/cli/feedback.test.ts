import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../src/adapters/console/console-adapter.js';
import { parseSince } from '../../src/cli/feedback.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/main.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { koban } from '../helpers/spawn.js';

describe('feedback in the console and koban feedback', () => {
  it('takes good and bad after an FAQ answer, then lists the entry by unhelpful votes beside refusals', async () => {
    const data = mkdtempSync(join(tmpdir(), 'koban-feedback-'));
    const runtime = await createRuntime(
      loadConfig({ KOBAN_KNOWLEDGE: REPO_KNOWLEDGE, KOBAN_DATA_DIR: data }),
    );
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => {
      shown += c.toString();
    });
    const adapter = new ConsoleAdapter({ assistant: runtime.assistant, i18n: runtime.i18n, input, output });
    await adapter.start();
    input.end(
      [
        'what is a koban?',
        'bad',
        'where is the wifi password?',
        'good',
        'bitcoin price today',
        'bad',
        '',
      ].join('\n'),
    );
    await adapter.done;
    await runtime.close();
    expect(shown).toContain('Was this helpful? Type good or bad.');
    expect(shown).toContain('sorry it did not help');
    expect(shown).toContain('Thank you for telling me!');

    const listed = await koban(['feedback', '--json'], { env: { KOBAN_DATA_DIR: data } });
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as Array<{
      entryId: string;
      unhelpful: number;
      helpful: number;
    }>;
    expect(entries.map((e) => [e.entryId, e.unhelpful, e.helpful])).toEqual([
      ['koban-what-is', 1, 0],
      ['trainee-wifi-it', 0, 1],
    ]);
    const later = await koban(['feedback', '--since', '2999-01-01'], { env: { KOBAN_DATA_DIR: data } });
    expect(later.stdout).toContain('no feedback recorded');
    expect(() => parseSince('yesterday')).toThrow(/--since/);
    expect(parseSince('2027-01-20')).toBe('2027-01-20T00:00:00.000Z');
    const unanswered = await koban(['unanswered'], { env: { KOBAN_DATA_DIR: data } });
    expect(unanswered.stdout).toMatch(/bitcoin price today/);
    expect(unanswered.stdout).toMatch(/voted "not helpful"[\s\S]*koban-what-is[\s\S]*what is a koban\?/);
  }, 120_000);
});
