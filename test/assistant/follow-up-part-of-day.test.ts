import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main.js';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const at = (iso: string) => ({ now: new Date(iso) });
const ids = (r: { sessions?: Array<{ sessionId: string }> }) => (r.sessions ?? []).map((s) => s.sessionId);

describe('"and the afternoon?" after a day\'s answer', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  const chat = async (user: string) => {
    await runtime.store.updateUser(`console:${user}`, { course: 'koban-seminar-2027' });
    return new Conversation(runtime, user);
  };

  it('narrows the day just answered to the part of the day asked, in Turkish and Dari', async () => {
    const now = at('2027-01-20T08:00:00+09:00');
    const tr = await chat('pod-tr');
    const day = await tr.send('yarın ne var?', now);
    expect(ids(day)).toEqual(['lecture-crime-prevention', 'exercise-crime-mapping']);
    const afternoon = await tr.send('peki öğleden sonra?', now);
    expect(afternoon.intent).toBe('schedule');
    expect(ids(afternoon)).toEqual(['exercise-crime-mapping']);
    const fa = await chat('pod-fa');
    await fa.send('فردا چی داریم؟', now);
    expect(ids(await fa.send('صبحش چی؟', now))).toEqual(['lecture-crime-prevention']);
  });
});
