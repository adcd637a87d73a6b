/**
 * A correction that adds context to the same question (issue 14, s11): "what should I wear?" →
 * "no, I mean for the koban visit" keeps the dress code the question with the context finds, while
 * a correction naming a topic of another kind ("no, I mean for cold weather") moves on. Own forms.
 */
import { afterAll, describe, it } from 'vitest';
import { Conversation, testRuntime } from '../helpers/conversation.js';

const runtime = await testRuntime();
afterAll(() => runtime.close());
let n = 0;
const chat = (): Conversation => new Conversation(runtime, `context-user-${++n}`);

describe('corrections that add context', () => {
  it('keeps the entry the question with the context still finds', async () => {
    const c = chat();
    await c.expect('what should i wear', { intent: 'faq', entryId: 'visit-dress-code' });
    await c.expect('no i mean for the visit to the koban with my delegation', {
      intent: 'faq',
      entryId: 'visit-dress-code',
    });
  });

  it('moves to another entry when the context names a topic of another kind', async () => {
    const c = chat();
    await c.expect('what do we wear for the koban visit', { intent: 'faq', entryId: 'visit-dress-code' });
    await c.expect('no i mean for the cold weather here', {
      intent: 'faq',
      entryId: 'trainee-weather-clothing',
    });
  });
});
