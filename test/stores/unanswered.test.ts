import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactPersonalData } from '../../src/stores/redact.js';
import type { Database } from '../../src/stores/schema.js';
import type { UnansweredStore } from '../../src/stores/store.js';
import { type UnansweredQuestion, UnansweredRepo } from '../../src/stores/unanswered.js';
import { StoreUnansweredLog } from '../../src/stores/unanswered-log.js';
import { storeFactories } from '../helpers/postgres.js';

const question = (
  text: string,
  at = '2027-01-10T09:00:00.000Z',
  user = 'slack:U0TARO',
): UnansweredQuestion => ({
  at,
  platform: 'slack',
  user,
  lang: 'en',
  text,
  confidence: 0.1,
  suggestions: ['koban-what-is'],
});

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { logger, lines };
}

describe('privacy of stored questions', () => {
  it.each([
    ['I am Taro Yamada, taro.yamada@example.jp, +81 90 1234 5678', 'I am Taro Yamada, [email], [phone]'],
    ['call 090-1234-5678 please', 'call [phone] please'],
    ['電話は０９０１２３４５６７８です', '電話は[phone]です'],
    ['passport TK1234567 lost', 'passport TK[number] lost'],
    ['room 204 at 10:30 on 2027-01-20', 'room 204 at 10:30 on 2027-01-20'],
    ['visit on 2027/2/3 10:00, phone 03-3581-4321', 'visit on 2027/2/3 10:00, phone [phone]'],
  ])('redacts %j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });
});

describe('the user pseudonym', () => {
  it('is the salted HMAC of the user key, the same when asked again and after many other users', () => {
    const repo = new UnansweredRepo({} as Kysely<Database>, 'salt-1');
    const hmac = (user: string) =>
      createHmac('sha256', 'salt-1').update(user).digest('base64url').slice(0, 22);
    expect(repo.hashUser('slack:U0TARO')).toBe(hmac('slack:U0TARO'));
    for (let i = 0; i < 10_050; i++) repo.hashUser(`discord:${i}`);
    expect(repo.hashUser('slack:U0TARO')).toBe(hmac('slack:U0TARO'));
    expect(repo.hashUser('discord:7')).toBe(hmac('discord:7'));
    expect(new UnansweredRepo({} as Kysely<Database>, 'salt-2').hashUser('slack:U0TARO')).not.toBe(
      hmac('slack:U0TARO'),
    );
  });
});

describe.each(storeFactories)('stored questions on $name', (factory) => {
  it.skipIf(factory.skip)(
    'stores the question redacted and the user as a salted hash, stable per user',
    async () => {
      const store = await factory.open(await factory.place());
      await store.unanswered.record(question('mail me at taro.yamada@example.jp'));
      await store.unanswered.record(question('second question'));
      await store.unanswered.record(question('someone else', undefined, 'slack:U0OTHER'));
      const rows = await store.unanswered.list();
      expect(rows.map((r) => r.text)).toEqual(['mail me at [email]', 'second question', 'someone else']);
      expect(rows[0]?.userHash).not.toContain('U0TARO');
      expect(rows[0]?.userHash).toBe(rows[1]?.userHash);
      expect(rows[2]?.userHash).not.toBe(rows[0]?.userHash);
      await store.close();
      // Another database has another salt: hashes cannot be matched across installations.
      const other = await factory.open(await factory.place());
      await other.unanswered.record(question('second question'));
      expect((await other.unanswered.list())[0]?.userHash).not.toBe(rows[0]?.userHash);
      await other.close();
    },
  );

  it.skipIf(factory.skip)(
    'deletes questions older than the retention period when the store opens',
    async () => {
      const path = await factory.place();
      const first = await factory.open(path);
      await first.unanswered.record(question('old one', '2026-09-01T00:00:00.000Z'));
      await first.unanswered.record(question('recent one', '2026-12-01T00:00:00.000Z'));
      await first.close();
      const clock = () => new Date('2026-12-20T00:00:00.000Z');
      const store = await factory.open(path, { clock, retentionDays: 90 });
      expect((await store.unanswered.list()).map((r) => r.text)).toEqual(['recent one']);
      await store.close();
    },
  );
});

describe('the unanswered side write', () => {
  it('retries a failed write once and never throws into the reply', async () => {
    const { logger, lines } = memoryLogger();
    let calls = 0;
    const saved: UnansweredQuestion[] = [];
    const flaky: UnansweredStore = {
      async record(q) {
        calls++;
        if (calls === 1) throw new Error('SQLITE_BUSY: database is locked');
        saved.push(q);
      },
      list: async () => [],
      purge: async () => 0,
    };
    const log = new StoreUnansweredLog(flaky, logger, 1);
    expect(log.record(question('first'))).toBeUndefined();
    await log.flush();
    expect(saved.map((q) => q.text)).toEqual(['first']);
    expect(lines.map((l) => l.msg)).toEqual(['could not record an unanswered question; retrying once']);
  });

  it('drops a write that fails twice, logs it without the question or the user, and keeps recording', async () => {
    const { logger, lines } = memoryLogger();
    let broken = true;
    const saved: string[] = [];
    const store: UnansweredStore = {
      async record(q) {
        if (broken) throw new Error('disk I/O error');
        saved.push(q.text);
      },
      list: async () => [],
      purge: async () => 0,
    };
    const log = new StoreUnansweredLog(store, logger, 1);
    log.record(question('lost one'));
    await log.flush();
    broken = false;
    log.record(question('next one'));
    await log.flush();
    expect(saved).toEqual(['next one']);
    expect(lines.at(-1)?.msg).toBe('dropped an unanswered question after a failed retry');
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('lost one');
    expect(logged).not.toContain('U0TARO');
  });
});
