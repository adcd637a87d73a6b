import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { koban, ROOT } from '../helpers/spawn.js';

const fixtures = join(ROOT, 'test', 'fixtures');

describe('koban COMMAND --help', () => {
  it('shows the usage instead of running the command (eval, start, ask)', async () => {
    for (const args of [
      ['eval', '--help'],
      ['start', '-h'],
      ['ask', '--help', 'what is a koban'],
    ]) {
      const { code, stdout, stderr } = await koban(args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toContain('eval [--set');
      expect(stdout).not.toContain('koban-assistant (');
      expect(stderr).not.toContain('ready');
    }
  });
});

describe('koban kb', () => {
  it('validate prints every problem as "file: what is wrong, what to do" and exits 1', async () => {
    const { code, stdout } = await koban(['kb', 'validate', '--knowledge', join(fixtures, 'kb-broken')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^faq\/bad-placeholder\/en\.md: unknown placeholder/m);
    expect(stdout).toMatch(/^synonyms\/en\.yaml: /m);
    expect(stdout).toMatch(/^off-topic\/ja\.yaml: /m);
    expect(stdout).toMatch(/11 error\(s\)/);
  });

  it('validate accepts a good tree', async () => {
    const { code, stdout } = await koban(['kb', 'validate', '--knowledge', join(fixtures, 'kb-small')]);
    expect(code).toBe(0);
    expect(stdout).toContain('OK, 3 entries');
  });

  it('stats shows translation coverage and off-topic examples per language', async () => {
    const { code, stdout } = await koban(['kb', 'stats', '--knowledge', join(fixtures, 'kb-small')]);
    expect(code).toBe(0);
    const total = stdout.split('\n').find((l) => l.startsWith('total'));
    expect(total?.split(/\s+/)).toEqual(['total', '3', '3', '1', '1', '0', '0', '0', '0', '0']);
    const offTopic = stdout.split('\n').find((l) => l.startsWith('off-topic'));
    expect(offTopic?.split(/\s+/)).toEqual(['off-topic', '6', '0', '0', '0', '0', '0', '0', '0']);
  });
});

describe('koban start', () => {
  it('with no tokens chats on stdin/stdout, one reply per line, and ends with the input', async () => {
    const { code, stdout, stderr } = await koban(['start'], { input: 'language ja\n交番とは何ですか\n' });
    expect(code).toBe(0);
    expect(stderr).toContain('Active adapters: console');
    const replies = stdout.trim().split('\n\n');
    expect(replies[0]).toMatch(/日本語/);
    expect(stdout).toContain('交番');
  }, 60_000);

  it('refuses to start with a broken knowledge base, naming the problem', async () => {
    const { code, stderr } = await koban(['start', '--knowledge', join(fixtures, 'kb-broken')]);
    expect(code).toBe(1);
    expect(stderr).toContain('faq/bad-placeholder/en.md');
  });
});
