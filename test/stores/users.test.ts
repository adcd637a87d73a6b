import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KyselyStore } from '../../src/stores/kysely-store.js';
import { USER_CACHE } from '../../src/stores/users.js';

describe('user preferences kept in memory', () => {
  it("shows this process's own change at once and another process's after the cache time", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'koban-users-')), 'koban.db');
    let now = new Date('2026-12-01T10:00:00Z');
    const clock = () => now;
    const here = await KyselyStore.open({ path, clock });
    const other = await KyselyStore.open({ path, clock });
    try {
      await here.updateUser('slack:U1', { lang: 'th' });
      expect(await here.getUser('slack:U1')).toEqual({ lang: 'th' });
      await here.updateUser('slack:U1', { course: 'koban-seminar-2027' });
      expect(await here.getUser('slack:U1')).toEqual({ lang: 'th', course: 'koban-seminar-2027' });

      // Another instance on the same database changes the language.
      await other.updateUser('slack:U1', { lang: 'ja' });
      expect((await here.getUser('slack:U1')).lang).toBe('th');
      now = new Date(now.getTime() + USER_CACHE.ttlMs);
      expect(await here.getUser('slack:U1')).toEqual({ lang: 'ja', course: 'koban-seminar-2027' });
    } finally {
      await here.close();
      await other.close();
    }
  });

  it("keeps another process's change to one preference when this one writes another", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'koban-users-')), 'koban.db');
    const here = await KyselyStore.open({ path });
    const other = await KyselyStore.open({ path });
    try {
      await here.updateUser('slack:U2', { course: 'koban-seminar-2027' });
      await other.updateUser('slack:U2', { detectedLang: 'vi' });
      await here.updateUser('slack:U2', { lang: 'id' });
      const expected = { lang: 'id', detectedLang: 'vi', course: 'koban-seminar-2027' };
      // This process remembers the row as written, the other process's column included.
      expect(await here.getUser('slack:U2')).toEqual(expected);
      await other.updateUser('slack:U2', { detectedLang: 'tr' });
      expect(await other.getUser('slack:U2')).toEqual({ ...expected, detectedLang: 'tr' });
    } finally {
      await here.close();
      await other.close();
    }
  });

  it('hands out copies, so a caller cannot change what is remembered', async () => {
    const store = await KyselyStore.open({ path: ':memory:' });
    try {
      await store.updateUser('discord:1', { lang: 'vi' });
      const prefs = await store.getUser('discord:1');
      prefs.lang = 'fa';
      expect(await store.getUser('discord:1')).toEqual({ lang: 'vi' });
    } finally {
      await store.close();
    }
  });
});
