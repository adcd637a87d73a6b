/**
 * "Send me announcements by DM" in every language: the phrasings from knowledge/intents, the
 * preference in the store, and the DM copy the announcement service adds for opted-in users of the
 * audience's courses, in their language.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Lang } from '../../src/core/languages.js';
import { readAnnouncementPhrases } from '../../src/engines/announcements/dm-phrases.js';
import { entries } from '../../src/engines/announcements/outbox.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE } from '../helpers/conversation.js';

const SAY: Record<Lang, { on: string; off: string }> = {
  en: { on: 'Please send me announcements by DM', off: 'Stop sending me announcements by DM, please' },
  ja: { on: 'お知らせをDMで送ってください', off: 'お知らせのDMを止めてください' },
  id: { on: 'Tolong kirim pengumuman lewat DM ya', off: 'Berhenti kirim pengumuman lewat DM' },
  vi: { on: 'Hãy gửi thông báo qua tin nhắn riêng cho tôi', off: 'Ngừng gửi thông báo qua DM cho tôi' },
  th: { on: 'ช่วยส่งประกาศทาง DM ให้หน่อย', off: 'หยุดส่งประกาศทาง DM ได้เลย' },
  tl: {
    on: 'Pakiusap, padalhan mo ako ng anunsyo sa DM',
    off: 'Pakiusap, itigil ang pagpapadala ng anunsyo sa DM',
  },
  tr: { on: 'Lütfen duyuruları DM ile gönder', off: 'Duyuruları göndermeyi durdur lütfen' },
  fa: { on: 'لطفاً اطلاعیه‌ها را در پیام خصوصی بفرست', off: 'لطفاً ارسال اطلاعیه را متوقف کن' },
};

describe('announcement DM phrasings', () => {
  const phrases = readAnnouncementPhrases(REPO_KNOWLEDGE);
  it.each(Object.entries(SAY))('understands opting in and out in %s', (_lang, say) => {
    expect(phrases.dmRequest(say.on)).toBe('on');
    expect(phrases.dmRequest(say.off)).toBe('off');
  });
  it('leaves other questions alone', () => {
    for (const text of [
      'When is the DNA lecture?',
      'What is a koban?',
      'remind me 30 minutes before the visit',
      // A phrase inside longer words is not the phrase: "announcements by dm" in "…by dmitri".
      'who sent the announcements by dmitri yesterday?',
    ])
      expect(phrases.dmRequest(text)).toBeUndefined();
  });
});

describe('announcements by DM for users who opted in', () => {
  let runtime: Runtime;
  const COORDINATOR = { platform: 'slack', userId: 'UCOORD' };

  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'koban-dm-optin-'));
    runtime = await createRuntime(
      loadConfig({
        KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
        KOBAN_DATA_DIR: data,
        KOBAN_COORDINATORS: 'slack:UCOORD',
        KOBAN_CHANNEL_COURSES: 'slack:C0KOBAN=koban-seminar-2027,slack:C0CRIM=crim-id-2027',
      }),
    );
  }, 120_000);
  afterAll(() => runtime?.close());

  const dmTargets = async (id: string) =>
    (await entries(runtime.store, id))
      .filter((e) => e.target.includes(':dm:'))
      .map((e) => [e.target, e.lang]);

  it('adds a DM in their language for opted-in users of the course, and stops when asked', async () => {
    const ja = new Conversation(runtime, 'U0JA', 'slack');
    const tr = new Conversation(runtime, '4242', 'discord');
    const other = new Conversation(runtime, 'U0CRIM', 'slack');
    await runtime.store.updateUser('slack:U0JA', { course: 'koban-seminar-2027' });
    await runtime.store.updateUser('discord:4242', { course: 'koban-seminar-2027' });
    await runtime.store.updateUser('slack:U0CRIM', { course: 'crim-id-2027' });

    const on = await ja.send(SAY.ja.on);
    expect(on.lang).toBe('ja');
    expect(on.text).toBe(runtime.i18n.t('ja', 'announcements')('dm.on', { language: '日本語' }));
    expect((await tr.send(SAY.tr.on)).lang).toBe('tr');
    await other.send(SAY.en.on);

    const first = await runtime.announcements.create(
      { audience: { courses: ['koban-seminar-2027'] }, text: { en: 'The bus leaves at 8:15.' } },
      COORDINATOR,
    );
    if (!first.ok) throw new Error('expected the announcement to be created');
    expect(await dmTargets(first.id)).toEqual([
      ['discord:dm:4242', ['tr']],
      ['slack:dm:U0JA', ['ja']],
    ]);

    const off = await tr.send(SAY.tr.off);
    expect(off.text).toBe(runtime.i18n.t('tr', 'announcements')('dm.off'));
    expect((await tr.send(SAY.tr.off)).text).toBe(runtime.i18n.t('tr', 'announcements')('dm.notOn'));
    const second = await runtime.announcements.create(
      { audience: { everyone: true }, text: { en: 'Typhoon: stay inside.' } },
      COORDINATOR,
    );
    if (!second.ok) throw new Error('expected the announcement to be created');
    expect(await dmTargets(second.id)).toEqual([
      ['slack:dm:U0CRIM', ['en']],
      ['slack:dm:U0JA', ['ja']],
    ]);
  }, 60_000);
});
