import { afterAll, describe, expect, it } from 'vitest';
import { Conversation, testRuntime } from './helpers/conversation.js';

const runtime = testRuntime();
afterAll(() => runtime.close());

describe('the assistant', () => {
  it('answers "what should I wear" in Indonesian from the dress-code entry', async () => {
    const chat = new Conversation(runtime, 'jakarta');
    await chat.expect('Apa pakaian yang harus dipakai saat kunjungan?', { intent: 'faq', lang: 'id', entryId: 'visit-dress-code' });
  });

  it('does not guess on an out-of-scope question', async () => {
    const chat = new Conversation(runtime, 'oos');
    const reply = await chat.expect('bitcoin price today', { intent: 'fallback' });
    expect(reply.entryId).toBeUndefined();
  });

  it('greets back in Japanese for "Omawari-san, ohayo gozaimasu!"', async () => {
    const chat = new Conversation(runtime, 'greeter');
    const reply = await chat.expect('Omawari-san, ohayo gozaimasu!', { intent: 'smalltalk', lang: 'ja' });
    expect(reply.text).toBe(runtime.i18n.t('ja')('smalltalk.omawari'));
  });

  it('remembers a language choice for short messages', async () => {
    const chat = new Conversation(runtime, 'switcher');
    await chat.expect('language tr', { intent: 'language', lang: 'tr' });
    await chat.expect('koban?', { lang: 'tr' });
  });
});
