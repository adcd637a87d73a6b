import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnnounceForms } from '../../src/assistant/announce-form.js';
import { AnnouncementService } from '../../src/engines/announcements/announcement-service.js';
import { ChannelDirectory, parseChannelLanguages } from '../../src/engines/announcements/channels.js';
import { entries } from '../../src/engines/announcements/outbox.js';
import { Coordinators } from '../../src/engines/visits/coordinators.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';

const NOW = new Date('2027-01-20T00:00:00.000Z');
const COORDINATOR = { platform: 'slack', userId: 'UCOORD' };
const TRAINEE = { platform: 'discord', userId: '4242' };

describe('announcements', () => {
  let store: KyselyStore;
  let service: AnnouncementService;

  beforeEach(async () => {
    store = await KyselyStore.open({ path: join(mkdtempSync(join(tmpdir(), 'koban-ann-')), 'koban.db') });
    service = new AnnouncementService({
      store,
      coordinators: new Coordinators(['slack:UCOORD']),
      channels: new ChannelDirectory(
        new Map([
          ['slack:C0KOBAN', 'koban-seminar-2027'],
          ['discord:998877', 'koban-seminar-2027'],
          ['slack:C0CRIM', 'crim-id-2027'],
        ]),
        parseChannelLanguages(['slack:C0KOBAN=id+en', 'discord:998877=vi', 'slack:C0CRIM=tr']),
      ),
      courseZone: (id) => (id === 'koban-seminar-2027' ? 'Asia/Tokyo' : undefined),
      i18n: new I18nService(),
      clock: () => NOW,
    });
  });

  afterEach(async () => {
    await store.close();
  });

  const bus = {
    audience: { courses: ['koban-seminar-2027'] },
    at: '2027-01-21T07:00',
    text: { en: 'The bus leaves at 8:15, not 8:30.', id: 'Bus berangkat pukul 8.15.' },
  };

  it("previews the send time in the coordinator's language and the course's zone, not as UTC", async () => {
    const forms = new AnnounceForms({
      service,
      drafts: store.announcements,
      i18n: new I18nService(),
      logger: silentLogger(),
      clock: () => NOW,
    });
    const values = {
      audienceKind: 'course',
      audienceValue: 'koban-seminar-2027',
      when: '2027-01-21 07:00',
      lang: 'en',
      text: 'The bus leaves at 8:15.',
    };
    const en = await forms.preview(values, COORDINATOR, 'en');
    if (!en.ok) throw new Error('no preview');
    expect(en.text).toContain('Thursday, January 21');
    expect(en.text).toContain('7:00');
    expect(en.text).not.toContain('2027-01-20T22:00');
    const ja = await forms.preview(values, COORDINATOR, 'ja');
    if (!ja.ok) throw new Error('no preview');
    expect(ja.text).toContain('1月21日');
  });

  it("queues one copy per course channel with the channel's languages, at the course's local time", async () => {
    const created = await service.create(bus, COORDINATOR);
    expect(created).toMatchObject({
      ok: true,
      id: 'A-1',
      status: 'scheduled',
      dueAt: '2027-01-20T22:00:00.000Z',
    });
    const rows = await entries(store, 'A-1');
    expect(rows.map((r) => [r.target, r.lang, r.state])).toEqual([
      ['slack:C0KOBAN', ['id', 'en'], 'pending'],
      ['discord:998877', ['vi'], 'pending'],
    ]);
    expect(await store.audit.list()).toMatchObject([
      { actor: 'slack:UCOORD', action: 'announce.create', target: 'A-1', outcome: 'ok' },
    ]);
  });

  it('refuses a non-coordinator and audits the attempt, writing nothing', async () => {
    expect(await service.create(bus, TRAINEE)).toEqual({ ok: false, reason: 'not-coordinator' });
    expect(await store.announcements.list()).toEqual([]);
    expect(await store.audit.list()).toMatchObject([
      { actor: 'discord:4242', action: 'announce.create', outcome: 'refused', detail: 'not a coordinator' },
    ]);
    expect(await service.withdraw('A-1', TRAINEE)).toEqual({ ok: false, reason: 'not-coordinator' });
  });

  it('explains what is wrong: unknown course, no text, a time in the past', async () => {
    const result = await service.create(
      { audience: { courses: ['no-such-course'] }, at: '2026-01-01T08:00', text: {} },
      COORDINATOR,
    );
    expect(result.ok).toBe(false);
    const codes = result.ok || result.reason !== 'invalid' ? [] : result.errors.map((e) => e.code);
    expect(codes.sort()).toEqual(['noContent', 'pastTime', 'unknownCourse']);
  });

  it('previews each target in its languages, the original with a note where a version is missing', async () => {
    const planned = await service.plan(bus);
    if (!planned.ok) throw new Error('expected a plan');
    const vi = planned.targets.find((t) => t.target === 'discord:998877');
    expect(vi?.preview.text).toBe('The bus leaves at 8:15, not 8:30.');
    expect(vi?.preview.notes[0]).toContain('English');
    const id = planned.targets.find((t) => t.target === 'slack:C0KOBAN');
    expect(id?.preview.text.startsWith('Bus berangkat')).toBe(true);
  });

  it('cancels a scheduled announcement, and then refuses to withdraw it', async () => {
    await service.create(bus, COORDINATOR);
    expect(await service.cancel('A-1', COORDINATOR)).toMatchObject({
      ok: true,
      status: 'cancelled',
      cancelled: 2,
    });
    expect((await entries(store, 'A-1')).map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
    expect(await service.withdraw('A-1', COORDINATOR)).toEqual({ ok: false, reason: 'not-allowed' });
    expect(await service.cancel('A-99', COORDINATOR)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('lists confirmations per target and person in the status', async () => {
    await service.create(bus, COORDINATOR);
    expect(await service.confirm('A-1', 'slack:C0KOBAN', 'slack:U1')).toBe(true);
    expect(await service.confirm('A-1', 'slack:C0KOBAN', 'slack:U1')).toBe(false);
    const status = await service.status('A-1');
    expect(status?.targets.map((t) => [t.target, t.confirmedBy])).toEqual([
      ['slack:C0KOBAN', ['slack:U1']],
      ['discord:998877', []],
    ]);
  });
});
