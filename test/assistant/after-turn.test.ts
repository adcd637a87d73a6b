import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/assistant/assistant.js';
import type { IntentHandler } from '../../src/assistant/turn.js';
import { makeReply } from '../../src/core/reply.js';
import { silentLogger } from '../../src/logger.js';
import type { Runtime } from '../../src/main.js';
import { testRuntime } from '../helpers/conversation.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('work after a turn (the conversation context)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await testRuntime();
  }, 120_000);
  afterAll(async () => runtime.close());

  /** An assistant whose only handler echoes, and whose after-turn work is slow and logged. */
  const logged = (log: string[]) => {
    const echo = {
      intent: 'smalltalk',
      match: () => true,
      handle: (turn) => {
        log.push(`answer ${turn.userKey} ${turn.text}`);
        return makeReply({ intent: 'smalltalk', lang: turn.lang, text: turn.text });
      },
    } satisfies IntentHandler;
    return new Assistant({
      knowledge: runtime.knowledge,
      i18n: runtime.i18n,
      store: runtime.store,
      unanswered: runtime.unanswered,
      logger: silentLogger(),
      firstHandlers: [echo],
      afterTurn: async (turn) => {
        await sleep(30);
        log.push(`stored ${turn.userKey} ${turn.text}`);
      },
    });
  };
  const say = (assistant: Assistant, userId: string, text: string) =>
    assistant.handle({ platform: 'console', userId, text, direct: true });

  it("answers before storing, and the same user's next message waits for what was stored", async () => {
    const log: string[] = [];
    const assistant = logged(log);
    const first = await say(assistant, 'ana', 'hello one');
    expect(first.text).toBe('hello one');
    expect(log).toEqual(['answer console:ana hello one']);
    await Promise.all([say(assistant, 'ana', 'hello two'), say(assistant, 'ben', 'hi')]);
    await assistant.flush();
    // Ben is not held up by Ana's store; Ana's second message is answered only after her first was stored.
    expect(log).toEqual([
      'answer console:ana hello one',
      'answer console:ben hi',
      'stored console:ana hello one',
      'answer console:ana hello two',
      'stored console:ben hi',
      'stored console:ana hello two',
    ]);
  });

  it('keeps the context of an answered question once flushed', async () => {
    const reply = await runtime.assistant.handle({
      platform: 'console',
      userId: 'flush',
      text: 'what is a koban?',
      localeHint: 'en',
      direct: true,
    });
    expect(reply.intent).toBe('faq');
    await runtime.assistant.flush();
    const context = await runtime.store.context.get('console:flush', new Date());
    expect(context?.last?.entryId).toBe(reply.entryId);
    expect(context?.turns.map((t) => t.from)).toEqual(['user', 'bot']);
  });
});
