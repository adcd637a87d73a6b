import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQuestionSet } from '../../src/eval/question-set.js';
import type { Runtime } from '../../src/main.js';
import { ContextRepo } from '../../src/stores/context.js';
import { testRuntime } from '../helpers/conversation.js';

describe('the context this process wrote, read back without parsing', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  it('equals what parsing the stored text gives, over real turns', async () => {
    // A second repository on the same database has written nothing: it parses every read.
    const parsing = new ContextRepo(runtime.store.db);
    const questions = readQuestionSet('test/dev-set');
    const now = new Date('2027-01-20T08:00:00Z');
    let compared = 0;
    let withLast = 0;
    for (let i = 0; i < 240; i++) {
      const q = questions[(i * 16) % questions.length];
      if (!q) continue;
      const userId = `memo-${i % 6}`;
      await runtime.assistant.handle({
        platform: 'cli',
        userId,
        text: q.text,
        localeHint: q.lang,
        direct: true,
        now: new Date(now.getTime() + i * 1000),
      });
      await runtime.assistant.flush();
      const at = new Date(now.getTime() + i * 1000 + 500);
      const fromMemory = await runtime.store.context.get(`cli:${userId}`, at);
      const parsed = await parsing.get(`cli:${userId}`, at);
      expect(parsed).toBeDefined();
      // Strict: the same keys (no undefined ones) and values.
      expect(JSON.parse(JSON.stringify(fromMemory))).toStrictEqual(parsed);
      expect(fromMemory).toEqual(parsed);
      compared++;
      if (parsed?.last) withLast++;
    }
    expect(compared).toBe(240);
    expect(withLast).toBeGreaterThan(20);
  });

  it('parses text another process wrote', async () => {
    const other = new ContextRepo(runtime.store.db);
    const at = new Date('2027-01-21T08:00:00Z');
    await runtime.store.context.put(
      'cli:shared',
      { turns: [{ from: 'user', text: 'mine', at: at.toISOString() }] },
      at,
    );
    await other.put('cli:shared', { turns: [{ from: 'user', text: 'theirs', at: at.toISOString() }] }, at);
    expect((await runtime.store.context.get('cli:shared', at))?.turns[0]?.text).toBe('theirs');
  });
});
