import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCli, csvCell, visitsCli } from '../../src/cli/visits.js';
import { loadConfig } from '../../src/config.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { koban } from '../helpers/spawn.js';

const NOW = '2027-01-20T09:00:00+09:00';
const request = {
  organization: 'Indonesian National Police',
  country: 'Indonesia',
  contactName: 'Budi Santoso',
  contactEmail: 'budi@polri.example.id',
  groupSize: 12,
  preferredDates: ['2027-03-15', '2027-03-16'],
  interests: ['koban', 'command-center'],
  language: 'Bahasa Indonesia',
  interpreter: true,
};

function setup() {
  const data = mkdtempSync(join(tmpdir(), 'koban-visits-'));
  const config = loadConfig({
    KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
    KOBAN_DATA_DIR: data,
    KOBAN_COORDINATORS: 'slack:U0COORD,discord-role:Coordinators',
  });
  const file = (name: string, body: unknown) => {
    const path = join(data, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };
  const run = async (cmd: 'visits' | 'audit', ...args: string[]) => {
    const lines: string[] = [];
    const code = await (cmd === 'visits' ? visitsCli : auditCli)(args, config, (s) => lines.push(s));
    return { code, lines, json: () => JSON.parse(lines.join('\n')) as unknown };
  };
  return { data, file, run };
}

describe('koban visits', () => {
  it('submits, lists, approves, shows, exports and audits a request', async () => {
    const { file, run } = setup();
    const submitted = await run('visits', 'submit', '--json', file('r.json', request), '--now', NOW);
    expect(submitted).toMatchObject({ code: 0 });
    expect(submitted.json()).toEqual({ ref: 'V-2027-0001', status: 'submitted' });
    const second = await run('visits', 'submit', '--json', file('r.json', request), '--now', NOW);
    expect(second.json()).toEqual({ ref: 'V-2027-0002', status: 'submitted' });

    const list = await run('visits', 'list', '--status', 'submitted', '--json');
    expect((list.json() as { ref: string }[]).map((r) => r.ref)).toEqual(['V-2027-0001', 'V-2027-0002']);
    expect(JSON.stringify(list.json())).not.toContain('budi@');

    const missing = await run(
      'visits',
      'decide',
      'V-2027-0001',
      '--approve',
      '--by',
      'slack:U0COORD',
      '--now',
      NOW,
    );
    expect(missing.code).toBe(1);
    expect((missing.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'date',
      'meetingPoint',
    ]);
    const approved = await run(
      'visits',
      'decide',
      'v-2027-1',
      '--approve',
      '--by',
      'slack:U0COORD',
      '--date',
      '2027-03-15',
      '--meeting-point',
      'Main gate, building A',
      '--now',
      NOW,
    );
    expect(approved.json()).toEqual({ ref: 'V-2027-0001', status: 'approved' });
    const again = await run(
      'visits',
      'decide',
      'V-2027-0001',
      '--decline',
      '--by',
      'slack:U0COORD',
      '--note',
      'x',
    );
    expect(again.code).toBe(1);

    // The approved day is now full: a new request for it is refused with the next free dates.
    const full = await run(
      'visits',
      'submit',
      '--json',
      file('r.json', { ...request, preferredDates: ['2027-03-15'] }),
      '--now',
      NOW,
    );
    expect(full.code).toBe(1);
    expect(full.lines[0]).toContain('2027-03-15 is already fully booked; the next free dates are 2027-03-16');

    const shown = await run('visits', 'show', 'V-2027-0001', '--json');
    expect(shown.json()).toMatchObject({
      status: 'approved',
      visitDate: '2027-03-15',
      meetingPoint: 'Main gate, building A',
      history: [
        { status: 'submitted', actor: 'cli:office' },
        { status: 'approved', actor: 'slack:U0COORD' },
      ],
    });
    const csv = await run('visits', 'export', '--csv');
    expect(csv.lines[0]).toMatch(/^ref,status,organization,/);
    expect(csv.lines[1]).toContain('V-2027-0001,approved,Indonesian National Police');
    expect(csv.lines[1]).toContain('"Main gate, building A"');

    const audit = await run('audit', '--json');
    expect(
      (audit.json() as { action: string; outcome: string }[]).map((e) => `${e.action}:${e.outcome}`),
    ).toEqual(['visit.submit:ok', 'visit.submit:ok', 'visit.approve:ok', 'visit.decline:refused']);
  });

  it('answers with every field problem in the language asked for', async () => {
    const { file, run } = setup();
    const r = await run(
      'visits',
      'submit',
      '--json',
      file('bad.json', { ...request, groupSize: 40, contactEmail: 'budi' }),
      '--lang',
      'id',
      '--now',
      NOW,
    );
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      errors: [
        { field: 'contactEmail', message: expect.stringContaining('alamat e-mail yang valid') },
        { field: 'groupSize', message: expect.stringContaining('paling banyak 20 orang') },
      ],
    });
    const broken = await run(
      'visits',
      'submit',
      '--json',
      file('broken.json', '{"organization":'),
      '--lang',
      'ja',
    );
    expect(broken.code).toBe(1);
    expect(JSON.stringify(broken.json())).toContain('正しいJSONではありません');
  });

  it('purges closed requests and says how many', async () => {
    const { file, run } = setup();
    await run('visits', 'submit', '--json', file('r.json', request), '--now', NOW);
    await run('visits', 'submit', '--json', file('r.json', request), '--now', NOW);
    await run(
      'visits',
      'decide',
      'V-2027-0002',
      '--decline',
      '--by',
      'slack:U0COORD',
      '--note',
      'Full',
      '--now',
      NOW,
    );
    const early = await run('visits', 'purge', '--older-than', '30', '--now', '2027-02-01T00:00:00Z');
    expect(early.lines[0]).toMatch(/^deleted 0 /);
    const later = await run('visits', 'purge', '--older-than', '30', '--now', '2027-03-01T00:00:00Z');
    expect(later.lines[0]).toMatch(/^deleted 1 /);
    const left = await run('visits', 'list', '--json');
    expect((left.json() as { ref: string }[]).map((r) => r.ref)).toEqual(['V-2027-0001']);
  });

  it('neutralises spreadsheet formulas in the CSV export', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(['2027-03-15', '2027-03-16'])).toBe('2027-03-15 2027-03-16');
  });

  it('exits 3 when --by is not a coordinator, and audits the attempt', async () => {
    const { data, file } = setup();
    const env = { KOBAN_DATA_DIR: data, KOBAN_COORDINATORS: 'slack:U0COORD' };
    const submitted = await koban(['visits', 'submit', '--json', file('r.json', request), '--now', NOW], {
      env,
    });
    expect(submitted.stdout.trim()).toBe('{"ref":"V-2027-0001","status":"submitted"}');
    const refused = await koban(
      ['visits', 'decide', 'V-2027-0001', '--decline', '--note', 'no', '--by', 'slack:U0INTRUDER'],
      { env },
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('slack:U0INTRUDER is not a coordinator');
    const audit = await koban(['audit'], { env });
    expect(audit.stdout).toMatch(/refused\s+slack:U0INTRUDER\s+visit\.decline\s+V-2027-0001/);
  }, 90_000);
});
