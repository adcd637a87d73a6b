import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kbValidate } from '../../src/cli/kb.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { koban, ROOT } from '../helpers/spawn.js';

const fixtures = join(ROOT, 'test', 'fixtures');

function validate(dir: string, goLive: boolean): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = kbValidate(dir, (s) => lines.push(s), { goLive });
  return { code, lines };
}

describe('koban kb validate --go-live', () => {
  it('warns about unconfirmed values without --go-live, and still passes', () => {
    const { code, lines } = validate(REPO_KNOWLEDGE, false);
    expect(code).toBe(0);
    const warning = lines.filter((l) => l.includes('not confirmed by the operator'));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/^center\.yaml: warning: \d+ value\(s\).*services\.allowance/);
  });

  it('fails on the shipped knowledge, listing each unconfirmed value with the answers using it', () => {
    const { code, lines } = validate(REPO_KNOWLEDGE, true);
    expect(code).toBe(1);
    expect(lines).toContain(
      'center.yaml: services.allowance is not confirmed (used by trainee-money-allowance); check it and add "services.allowance" to "confirmed:"',
    );
    const coordinator = lines.find((l) => l.startsWith('center.yaml: contacts.coordinator.email '));
    expect(coordinator).toMatch(
      /used by .*trainee-arrival-airport, trainee-attendance-absence, .*trainee-weather-clothing\)/,
    );
    expect(lines.some((l) => l.startsWith('center.yaml: emergency.police '))).toBe(false);
  });

  it('passes on a fully confirmed knowledge folder', () => {
    const { code, lines } = validate(join(fixtures, 'kb-confirmed'), true);
    expect(lines.filter((l) => l.includes('not confirmed'))).toEqual([]);
    expect(code).toBe(0);
  });

  it('is a flag of the koban CLI', { timeout: 60_000 }, async () => {
    const cli = await koban(['kb', 'validate', '--go-live']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^center\.yaml: services\.allowance is not confirmed/m);
  });

  it('makes koban start log one warning line with the count', { timeout: 60_000 }, async () => {
    const started = await koban(['start'], { input: 'hello\n' });
    const warnings = started.stderr.split('\n').filter((l) => l.includes('not confirmed by the operator'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"unconfirmed":\d+/);
    const quiet = await koban(['start', '--knowledge', join(fixtures, 'kb-confirmed')], { input: 'hello\n' });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('not confirmed');
  });
});
