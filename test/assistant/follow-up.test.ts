import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const at = (iso: string) => ({ now: new Date(iso) });
const ids = (r: { sessions?: Array<{ sessionId: string }> }) => (r.sessions ?? []).map((s) => s.sessionId);

describe('follow-ups after a schedule or FAQ answer', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  const chat = async (user: string, course = 'koban-seminar-2027') => {
    await runtime.store.updateUser(`console:${user}`, { course });
    return new Conversation(runtime, user);
  };

  it('answers "and tomorrow?" with the same question for the next day', async () => {
    const c = await chat('day');
    const now = at('2027-01-20T08:00:00+09:00');
    const first = await c.send('what do we have today?', now);
    expect(ids(first)).toEqual(['koban-visit-shinjuku', 'lecture-patrol']);
    const next = await c.send('and tomorrow?', now);
    expect(next.intent).toBe('schedule');
    expect(ids(next)).toEqual(['lecture-crime-prevention', 'exercise-crime-mapping']);
  });

  it('says where the session just mentioned is, and when it ends', async () => {
    const c = await chat('where', 'crim-id-2027');
    const now = at('2027-01-25T18:00:00+09:00');
    await c.send('when is the fingerprint lecture?', now);
    const where = await c.send('where is it?', now);
    expect(where.intent).toBe('schedule');
    expect(where.text).toContain('Lecture Room 5');
    const end = await c.send('what time does it end?', now);
    expect(ids(end)).toEqual(['lecture-fingerprint']);
    expect(end.text).toMatch(/12:00/);
  });

  it('gives the session after the last one mentioned', async () => {
    const c = await chat('next', 'crim-id-2027');
    const now = at('2027-01-25T18:00:00+09:00');
    await c.send('when is the fingerprint lecture?', now);
    const after = await c.send('and the one after?', now);
    expect(ids(after)).toEqual(['exercise-latent-prints']);
  });

  it('reads chat wordings of "the one after" and "when does it end" in Turkish and Indonesian', async () => {
    const now = at('2027-01-25T18:00:00+09:00');
    const tr = await chat('next-tr', 'crim-id-2027');
    await tr.send('parmak izi dersi ne zaman?', now);
    expect(ids(await tr.send('peki arkasından ne geliyor?', now))).toEqual(['exercise-latent-prints']);
    const id = await chat('end-id', 'crim-id-2027');
    await id.send('kuliah sidik jari kapan?', now);
    const end = await id.send('selesainya jam brp?', now);
    expect(ids(end)).toEqual(['lecture-fingerprint']);
    expect(end.text).toMatch(/12[.:]00/);
  });

  it('repeats the last FAQ answer in Japanese when asked', async () => {
    const c = await chat('lang');
    const first = await c.send('what is a koban?');
    expect(first).toMatchObject({ intent: 'faq', entryId: 'koban-what-is', lang: 'en' });
    const again = await c.send('in Japanese please');
    expect(again).toMatchObject({ intent: 'faq', entryId: 'koban-what-is', lang: 'ja' });
  });

  it('takes "answer in English for me" after an answer as a follow-up, not a request for help', async () => {
    const c = await chat('lang-vi');
    await c.send('koban là gì?');
    const again = await c.send('trả lời bằng tiếng Anh giúp mình');
    expect(again.intent).toBe('faq');
    expect(again.lang).toBe('en');
    expect(again.entryId).toBe('koban-what-is');
  });

  it('takes a language request followed by a reason as the request, and one followed by a question as a question', async () => {
    const en = await chat('lang-reason-en');
    await en.send('is there a prayer room somewhere in the building?');
    const id = await en.send('can you say that in indonesian pls, for my roommate');
    expect(id).toMatchObject({ intent: 'faq', entryId: 'trainee-prayer-room', lang: 'id' });
    const ja = await chat('lang-reason-ja');
    await ja.send('what is a koban?');
    const again = await ja.send('日本語でお願いします（同期に見せたいので）');
    expect(again).toMatchObject({ intent: 'faq', entryId: 'koban-what-is', lang: 'ja' });
    const asks = await chat('lang-reason-question');
    await asks.send('what is a koban?');
    const other = await asks.send('in English please, where is the prayer room?');
    expect(other).toMatchObject({ intent: 'faq', entryId: 'trainee-prayer-room' });
  });

  it('re-answers about another topic on "no, I meant …"', async () => {
    const c = await chat('meant');
    const first = await c.send('what should I wear?');
    expect(first).toMatchObject({ intent: 'faq', entryId: 'visit-dress-code' });
    const meant = await c.send('no, I meant for the cold weather');
    expect(meant).toMatchObject({ intent: 'faq', entryId: 'trainee-weather-clothing' });
  });

  it('tells more about the last FAQ answer', async () => {
    const c = await chat('more');
    await c.send('what is a koban?');
    const more = await c.send('tell me more');
    expect(more).toMatchObject({ intent: 'faq', entryId: 'koban-what-is' });
    expect(more.suggestions.length + more.notes.length).toBeGreaterThan(0);
  });

  it('keeps a thanks a thanks, and forgets the context after 30 minutes', async () => {
    const c = await chat('thanks');
    const t0 = Date.parse('2027-01-20T08:00:00+09:00');
    await c.send('what do we have today?', { now: new Date(t0) });
    expect(await c.send('thanks!', { now: new Date(t0) })).toMatchObject({
      intent: 'smalltalk',
      kind: 'thanks',
    });
    const late = await c.send('where is it?', { now: new Date(t0 + 31 * 60_000) });
    expect(late.intent).not.toBe('schedule');
  });

  it('reads chatty, misspelt follow-ups word by word', async () => {
    const c = await chat('chatty', 'crim-id-2027');
    const now = at('2027-01-25T18:00:00+09:00');
    await c.send('when is the fingerprint lecture?', now);
    const where = await c.send('wait whre is that held again', now);
    expect(where.intent).toBe('schedule');
    expect(where.text).toContain('Lecture Room 5');
    const end = await c.send('and it finishes at what time?', now);
    expect(end.text).toMatch(/12:00/);
  });

  it('takes a day with a chat word or a typo as "and that day?"', async () => {
    const c = await chat('bout');
    const now = at('2027-01-20T08:00:00+09:00');
    await c.send('what do we have today?', now);
    const next = await c.send('cool thx. how bout tomorow', now);
    expect(ids(next)).toEqual(['lecture-crime-prevention', 'exercise-crime-mapping']);
  });

  it('does not take a new question for a follow-up', async () => {
    const c = await chat('fresh');
    const now = at('2027-01-20T08:00:00+09:00');
    await c.send('what do we have today?', now);
    const wifi = await c.send('where is the prayer room?', now);
    expect(wifi).toMatchObject({ intent: 'faq', entryId: 'trainee-prayer-room' });
    // A place question word with a topic of its own is a new question, typo or not.
    const laundry = await c.send('whre is the laundry', now);
    expect(laundry).toMatchObject({ intent: 'faq', entryId: 'trainee-laundry' });
  });
});
