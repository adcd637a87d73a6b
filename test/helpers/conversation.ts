/**
 * Conversation-style test helper over the real assistant (botbuilder's TestAdapter, in spirit):
 * `await chat.send('交番とは何ですか').expect({ intent: 'faq', entryId: 'koban-what-is', lang: 'ja' })`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { IncomingMessage } from '../../src/core/message.js';
import type { Reply } from '../../src/core/reply.js';
import { createRuntime, type Runtime } from '../../src/main.js';

export const REPO_KNOWLEDGE = join(import.meta.dirname, '..', '..', 'knowledge');

/** A runtime on a temporary data folder (fresh SQLite file), on the repository's knowledge by default. */
export function testRuntime(knowledge = REPO_KNOWLEDGE, clock?: () => Date): Promise<Runtime> {
  const data = mkdtempSync(join(tmpdir(), 'koban-test-'));
  const config = loadConfig({ KOBAN_KNOWLEDGE: knowledge, KOBAN_DATA_DIR: data });
  return createRuntime(config, clock ? { clock } : {});
}

export class Conversation {
  constructor(
    readonly runtime: Runtime,
    readonly userId = 'tester',
    readonly platform: IncomingMessage['platform'] = 'console',
  ) {}

  async send(text: string, extra: Partial<IncomingMessage> = {}): Promise<Reply> {
    return this.runtime.assistant.handle({
      platform: this.platform,
      userId: this.userId,
      text,
      direct: true,
      ...extra,
    });
  }

  /** Sends and checks the reply's fields; returns the reply for further checks. */
  async expect(text: string, fields: Partial<Reply>, extra: Partial<IncomingMessage> = {}): Promise<Reply> {
    const reply = await this.send(text, extra);
    expect(reply).toMatchObject(fields);
    return reply;
  }
}
