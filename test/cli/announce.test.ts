import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { I18nService } from '../../src/i18n/i18n.js';
import { koban } from '../helpers/spawn.js';

const env = () => ({
  KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-announce-')),
  KOBAN_COORDINATORS: 'slack:UCOORD',
  KOBAN_CHANNEL_COURSES: 'slack:C0KOBAN=koban-seminar-2027,discord:998877=koban-seminar-2027',
  KOBAN_CHANNEL_LANGUAGES: 'slack:C0KOBAN=id+en,discord:998877=vi',
});

const announcement = JSON.stringify({
  audience: { courses: ['koban-seminar-2027'] },
  at: '2099-01-21T07:00',
  text: { en: 'The bus leaves at 8:15, not 8:30.' },
});

describe('koban announce', () => {
  it('queues, shows and cancels an announcement; refuses a non-coordinator with exit 3', async () => {
    const e = env();
    const refused = await koban(['announce', 'create', '--json', '-', '--by', 'discord:4242'], {
      input: announcement,
      env: e,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('not a coordinator');

    const created = await koban(['announce', 'create', '--json', '-', '--by', 'slack:UCOORD'], {
      input: announcement,
      env: e,
    });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ id: 'A-1', status: 'scheduled' });

    const status = await koban(['announce', 'status', 'A-1', '--json'], { env: e });
    expect(JSON.parse(status.stdout)).toMatchObject({
      id: 'A-1',
      targets: [
        { target: 'slack:C0KOBAN', lang: ['id', 'en'], state: 'pending', confirmedBy: [] },
        { target: 'discord:998877', lang: ['vi'], state: 'pending', confirmedBy: [] },
      ],
    });

    const cancelled = await koban(['announce', 'cancel', 'A-1', '--by', 'slack:UCOORD'], { env: e });
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: 'A-1', status: 'cancelled', cancelled: 2 });
  }, 120_000);

  it('prints localized errors with exit 1, and the preview per target with --dry-run', async () => {
    const e = env();
    const invalid = await koban(
      ['announce', 'create', '--json', '-', '--by', 'slack:UCOORD', '--lang', 'ja'],
      {
        input: JSON.stringify({ audience: {}, text: {} }),
        env: e,
      },
    );
    expect(invalid.code).toBe(1);
    const { errors } = JSON.parse(invalid.stdout) as { errors: { field: string; message: string }[] };
    expect(errors.map((x) => x.field).sort()).toEqual(['audience', 'text']);
    expect(errors.find((x) => x.field === 'audience')?.message).toContain('宛先');

    const preview = await koban(['announce', 'create', '--json', '-', '--by', 'slack:UCOORD', '--dry-run'], {
      input: announcement,
      env: e,
    });
    expect(preview.code).toBe(0);
    const { targets } = JSON.parse(preview.stdout) as {
      targets: { target: string; text: string; notes: string[] }[];
    };
    expect(targets.map((x) => x.target)).toEqual(['slack:C0KOBAN', 'discord:998877']);
    expect(targets[1]?.text).toBe('The bus leaves at 8:15, not 8:30.');
    expect(targets[1]?.notes[0]).toContain('English');
  }, 120_000);
});

describe('koban announce with a structured notice', () => {
  const i18n = new I18nService();
  const moved = (fields: Record<string, unknown>) =>
    JSON.stringify({
      audience: { courses: ['koban-seminar-2027'] },
      notice: { kind: 'session-moved', fields },
    });

  it('previews the notice in each channel’s languages, queues it, and words bad fields per language', async () => {
    const e = env();
    const by = ['--by', 'slack:UCOORD'];
    const preview = await koban(['announce', 'create', '--json', '-', ...by, '--dry-run'], {
      input: moved({ session: 'koban-visit-shinjuku', start: '10:00' }),
      env: e,
    });
    expect(preview.code).toBe(0);
    const { targets } = JSON.parse(preview.stdout) as { targets: { target: string; text: string }[] };
    expect(targets.map((x) => x.target)).toEqual(['slack:C0KOBAN', 'discord:998877']);
    const [slack, discord] = targets;
    // Indonesian first, then English, each written by the templates; Vietnamese alone on Discord.
    const idTitle = i18n.t('id', 'notices')('title.session-moved');
    const enTitle = i18n.t('en', 'notices')('title.session-moved');
    expect(slack?.text.indexOf(idTitle)).toBeGreaterThanOrEqual(0);
    expect(slack?.text.indexOf(idTitle)).toBeLessThan(slack?.text.indexOf(enTitle) ?? -1);
    expect(slack?.text).toContain('Kunjungan lapangan ke Koban');
    expect(discord?.text).toContain(i18n.t('vi', 'notices')('title.session-moved'));
    expect(discord?.text).toContain('Tham quan thực tế Koban');
    expect(discord?.text).not.toContain(enTitle);

    const created = await koban(['announce', 'create', '--json', '-', ...by], {
      input: moved({ session: 'koban-visit-shinjuku', start: '10:00' }),
      env: e,
    });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ id: 'A-1', status: 'scheduled' });

    const invalid = await koban(['announce', 'create', '--json', '-', ...by, '--lang', 'ja'], {
      input: moved({ session: 'no-such-session', start: '25:00' }),
      env: e,
    });
    expect(invalid.code).toBe(1);
    const { errors } = JSON.parse(invalid.stdout) as { errors: { field: string; message: string }[] };
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.field).toMatch(/^notice\.fields\./);
    expect(errors[0]?.message).toContain(i18n.t('ja', 'notices')(`field.${errors[0]?.field.slice(14)}`));
  }, 180_000);
});
