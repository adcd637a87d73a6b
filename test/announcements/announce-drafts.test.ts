/**
 * The announce form's previews wait for Confirm in the store: with several instances the Confirm
 * click may reach another one, and a restart must not lose a preview. Runs on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AnnounceForms } from '../../src/assistant/announce-form.js';
import { AnnouncementService } from '../../src/engines/announcements/announcement-service.js';
import { ChannelDirectory, parseChannelLanguages } from '../../src/engines/announcements/channels.js';
import { Coordinators } from '../../src/engines/visits/coordinators.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';
import type { KyselyStore } from '../../src/stores/kysely-store.js';
import { storeFactories } from '../helpers/postgres.js';

const COORDINATOR = { platform: 'slack', userId: 'UCOORD' };
const OTHER_COORDINATOR = { platform: 'discord', userId: '777' };
const VALUES = {
  audienceKind: 'course',
  audienceValue: 'koban-seminar-2027',
  when: '2027-01-21 07:00',
  lang: 'en',
  text: 'The bus leaves at 8:15.',
};

describe.each(storeFactories)('announcement previews kept in the store ($name)', (factory) => {
  const open: KyselyStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  /** One "instance": its own store connection and form, as `koban start` builds them. */
  async function instance(place: string, clock: () => Date) {
    const store = await factory.open(place);
    open.push(store);
    const i18n = new I18nService();
    const service = new AnnouncementService({
      store,
      coordinators: new Coordinators(['slack:UCOORD', 'discord:777']),
      channels: new ChannelDirectory(
        new Map([['slack:C0KOBAN', 'koban-seminar-2027']]),
        parseChannelLanguages(['slack:C0KOBAN=en']),
      ),
      courseZone: () => 'Asia/Tokyo',
      i18n,
      clock,
    });
    const forms = new AnnounceForms({
      service,
      drafts: store.announcements,
      i18n,
      logger: silentLogger(),
      clock,
    });
    return { store, forms };
  }

  it.skipIf(factory.skip)(
    'confirms on another instance, once only, and only for the coordinator who previewed it',
    async () => {
      const place = await factory.place();
      const now = () => new Date('2027-01-20T00:00:00Z');
      const a = await instance(place, now);
      const b = await instance(place, now);
      const preview = await a.forms.preview(VALUES, COORDINATOR, 'en');
      if (!preview.ok) throw new Error('no preview');
      const stranger = await b.forms.confirm(preview.draftId, OTHER_COORDINATOR, 'en');
      expect(stranger.ok).toBe(false);
      const [first, second] = await Promise.all([
        b.forms.confirm(preview.draftId, COORDINATOR, 'en'),
        a.forms.confirm(preview.draftId, COORDINATOR, 'en'),
      ]);
      expect([first.ok, second.ok].sort()).toEqual([false, true]);
      const failed = first.ok ? second : first;
      expect(failed).toMatchObject({ ok: false, reason: 'expired' });
      expect(await a.store.announcements.list()).toHaveLength(1);
    },
  );

  it.skipIf(factory.skip)(
    'keeps a preview across a restart, and lets it expire after 30 minutes',
    async () => {
      const place = await factory.place();
      let at = new Date('2027-01-20T00:00:00Z');
      const before = await instance(place, () => at);
      const kept = await before.forms.preview(VALUES, COORDINATOR, 'en');
      const stale = await before.forms.preview(VALUES, COORDINATOR, 'en');
      const dropped = await before.forms.preview(VALUES, COORDINATOR, 'en');
      if (!kept.ok || !stale.ok || !dropped.ok) throw new Error('no preview');
      expect(await before.forms.cancel(dropped.draftId, COORDINATOR, 'en')).toBeTruthy();
      await before.store.close();
      open.splice(open.indexOf(before.store), 1);

      const after = await instance(place, () => at);
      expect((await after.forms.confirm(dropped.draftId, COORDINATOR, 'en')).ok).toBe(false);
      expect((await after.forms.confirm(kept.draftId, COORDINATOR, 'en')).ok).toBe(true);
      at = new Date(at.getTime() + 31 * 60_000);
      const late = await after.forms.confirm(stale.draftId, COORDINATOR, 'en');
      expect(late).toMatchObject({ ok: false, reason: 'expired' });
      expect(await after.store.announcements.list()).toHaveLength(1);
    },
  );
});
