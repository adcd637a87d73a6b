import { copyFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { koban, ROOT } from './helpers/spawn.js';

const shipped = (): Record<string, string> =>
  parseEnv(readFileSync(join(ROOT, '.env.example'), 'utf8')) as Record<string, string>;

describe('settings', () => {
  it('reads .env.example as shipped: every empty value takes its default', () => {
    const env = shipped();
    expect(env.KOBAN_DB).toBe('');
    const config = loadConfig({ ...env, KOBAN_DATA_DIR: '' });
    expect(config.KOBAN_DATA_DIR).toBe('data');
    expect(config.dbPath).toBe('data/koban.db');
    expect(config.unansweredPath).toBe('data/unanswered.jsonl');
    expect(config.SLACK_REPLY_IN_THREAD).toBe(true);
    expect(config.slackEnabled).toBe(false);
  });

  it('treats a blank value as unset, and still refuses a bad one naming the variable', () => {
    expect(loadConfig({ KOBAN_KNOWLEDGE: '   ', SLACK_PORT: '' }).KOBAN_KNOWLEDGE).toBe('knowledge');
    expect(() => loadConfig({ SLACK_REPLY_IN_THREAD: 'perhaps' })).toThrow(/SLACK_REPLY_IN_THREAD/);
  });

  it('reads the outbox and gateway timings, and refuses a bad one with one line naming it', () => {
    const defaults = loadConfig({});
    expect([
      defaults.KOBAN_OUTBOX_LEASE_SECONDS,
      defaults.KOBAN_OUTBOX_POLL_MS,
      defaults.KOBAN_GATEWAY_POLL_MS,
    ]).toEqual([120, 5000, 5000]);
    const set = loadConfig({
      KOBAN_OUTBOX_LEASE_SECONDS: '6',
      KOBAN_OUTBOX_POLL_MS: '250',
      KOBAN_GATEWAY_POLL_MS: ' 500 ',
    });
    expect([set.KOBAN_OUTBOX_LEASE_SECONDS, set.KOBAN_OUTBOX_POLL_MS, set.KOBAN_GATEWAY_POLL_MS]).toEqual([
      6, 250, 500,
    ]);
    const refused = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message.split('\n').filter((l) => l.startsWith('KOBAN_'));
      }
      return [];
    };
    for (const bad of ['soon', '2', '1.5', '4000', '-1'])
      expect(refused({ KOBAN_OUTBOX_LEASE_SECONDS: bad }), bad).toEqual([
        'KOBAN_OUTBOX_LEASE_SECONDS: expected a whole number of seconds from 5 to 3600',
      ]);
    expect(refused({ KOBAN_OUTBOX_POLL_MS: '50', KOBAN_GATEWAY_POLL_MS: '30000' })).toEqual([
      'KOBAN_OUTBOX_POLL_MS: expected a whole number of milliseconds from 100 to 600000',
      'KOBAN_GATEWAY_POLL_MS: expected a whole number of milliseconds from 100 to 25000',
    ]);
  });

  it('with .env.example copied to .env, keeps the database under ./data, not in the file-system root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-dotenv-'));
    copyFileSync(join(ROOT, '.env.example'), join(dir, '.env'));
    symlinkSync(join(ROOT, 'knowledge'), join(dir, 'knowledge'));
    const { code, stdout } = await koban(['ask', 'What is a Koban?', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ intent: 'faq' });
    expect(existsSync(join(dir, 'data', 'koban.db'))).toBe(true);
  });
});

describe('coordinators by role', () => {
  it('adds the Slack user group and the Discord role to the coordinators; an empty value is unset; a bad one is refused', () => {
    const config = loadConfig({
      KOBAN_COORDINATORS: 'slack:U0123',
      KOBAN_SLACK_COORDINATOR_GROUP: 'S0COORDS1',
      KOBAN_DISCORD_COORDINATOR_ROLE: '112233445566778899',
    });
    expect(config.KOBAN_COORDINATORS).toEqual([
      'slack:U0123',
      'slack-group:S0COORDS1',
      'discord-role:112233445566778899',
    ]);
    expect(loadConfig({ KOBAN_SLACK_COORDINATOR_GROUP: ' ' }).KOBAN_COORDINATORS).toEqual([]);
    expect(() => loadConfig({ KOBAN_DISCORD_COORDINATOR_ROLE: 'Coordinators' })).toThrow(
      /KOBAN_DISCORD_COORDINATOR_ROLE/,
    );
  });
});
