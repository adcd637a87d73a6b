/**
 * Follow-ups as people type them (issue 14, s9): after a thanks or an "ok", with a language name
 * carrying an ending, and language names that are no request.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFollowUpPhrases } from '../../src/engines/conversation/follow-up-phrases.js';
import type { Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE, testRuntime } from '../helpers/conversation.js';

const now = { now: new Date('2027-01-21T08:00:00+09:00') };
const ids = (r: { sessions?: Array<{ sessionId: string }> }) => (r.sessions ?? []).map((s) => s.sessionId);
const DAY = ['lecture-crime-prevention', 'exercise-crime-mapping'];

describe('follow-up phrases (knowledge/intents/follow-ups.yaml)', () => {
  const phrases = readFollowUpPhrases(join(REPO_KNOWLEDGE));

  it('reads a language name with an ending or a hyphenated prefix as the name', () => {
    expect(phrases.match('bahasa inggrisnya?', 'id')).toMatchObject({ kind: 'language', target: 'en' });
    expect(phrases.match('ingilizceye çevir', 'tr')).toMatchObject({ kind: 'language', target: 'en' });
    expect(phrases.match('انگلیسیش؟', 'fa')).toMatchObject({ kind: 'language', target: 'en' });
    expect(phrases.match('paki-english', 'tl')).toMatchObject({ kind: 'language', target: 'en' });
  });

  it('takes a language name beside another word as a request only with a request word', () => {
    expect(phrases.match('japanese garden?', 'en')).toBeUndefined();
    expect(phrases.match('english teacher', 'en')).toBeUndefined();
    expect(phrases.match('can u write it in japanese', 'en')).toMatchObject({
      kind: 'language',
      target: 'ja',
    });
  });

  it('knows an acknowledgement made only of filler words', () => {
    expect(phrases.onlyFiller('ok', 'en')).toBe(true);
    expect(phrases.onlyFiller('sip', 'id')).toBe(true);
    expect(phrases.onlyFiller('ok laundry', 'en')).toBe(false);
  });
});

describe('follow-ups after an acknowledgement', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  const chat = async (user: string) => {
    await runtime.store.updateUser(`console:${user}`, { course: 'koban-seminar-2027' });
    return new Conversation(runtime, user);
  };

  it.each([
    ['en', "what's on today?", 'thanks! tomorrow too?', ['ccc-visit', 'welcome-reception']],
    ['tr', 'bugün ne var?', 'sağol, bitiş kaçta', DAY],
    ['vi', 'hôm nay có gì?', 'cảm ơn, mấy giờ thì kết thúc?', DAY],
    ['tl', 'ano ang schedule ngayon?', 'salamat, ano pagkatapos?', ['ccc-visit']],
    ['th', 'วันนี้มีอะไรบ้าง', 'ขอบคุณ อยู่ตึกไหน', DAY],
  ])('[%s] %s → %s', async (lang, first, followUp, sessions) => {
    const c = await chat(`ack-${lang}`);
    expect(ids(await c.send(first, now))).toEqual(DAY);
    const r = await c.send(followUp, now);
    expect(r.intent).toBe('schedule');
    expect(ids(r)).toEqual(sessions);
  });

  it('keeps "ok thanks a lot" a thanks', async () => {
    const c = await chat('ack-thanks');
    await c.send("what's on today?", now);
    expect(await c.send('ok thanks a lot', now)).toMatchObject({ intent: 'smalltalk', kind: 'thanks' });
  });

  it('answers a language request with a chat particle after it ("viet lai bang tieng anh giup e")', async () => {
    const c = await chat('viet');
    await c.send('giặt quần áo ở đâu?');
    const r = await c.send('viet lai bang tieng anh giup e');
    expect(r).toMatchObject({ intent: 'faq', entryId: 'trainee-laundry', lang: 'en' });
  });
});
