/**
 * Starts the production Discord adapter (real discord.js) against the loopback fake Discord, on a
 * runtime built as production builds it, over the repository's knowledge base and a fresh data
 * folder. One runtime is shared by a test file: building the knowledge indexes is the slow part.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createDiscordAdapter, type DiscordRuntime } from '../../src/adapters/discord/discord-adapter.js';
import { loadConfig } from '../../src/config.js';
import type { Adapter } from '../../src/core/adapter.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { type FakeDiscordOptions, FakeDiscordServer } from '../fakes/discord-server.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

export type LogLine = { level: number; msg: string; [key: string]: unknown };

export interface TestRuntime {
  runtime: Runtime;
  /** Operator log lines (pino JSON objects) written so far. */
  logs: LogLine[];
}

/** `loadConfig` + `createRuntime`, with a logger that keeps its lines for assertions. */
export function testDiscordRuntime(): TestRuntime {
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const data = mkdtempSync(join(tmpdir(), 'koban-discord-'));
  // The tests share users across many questions; the rate limits have tests of their own.
  const config = loadConfig({
    KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
    KOBAN_DATA_DIR: data,
    KOBAN_USER_LIMIT: '0',
    KOBAN_CHANNEL_LIMIT: '0',
  });
  return { runtime: createRuntime(config, { logger }), logs };
}

/** The runtime as the adapter sees it when pointed at `fake` (DISCORD_* settings as an operator sets them). */
export function pointedAt(
  runtime: Runtime,
  fake: FakeDiscordServer,
  settings: { token?: string | undefined } = {},
) {
  const token = 'token' in settings ? settings.token : fake.token;
  return {
    ...runtime,
    config: {
      ...runtime.config,
      DISCORD_TOKEN: token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_APPLICATION_ID: fake.applicationId,
      discordEnabled: Boolean(token),
    },
  } satisfies Runtime;
}

export interface TestBot {
  fake: FakeDiscordServer;
  adapter: Adapter;
  close(): Promise<void>;
}

/** A fresh fake Discord and a started adapter; `wrap` may change what the adapter sees (e.g. a slow assistant). */
export async function startBot(
  runtime: Runtime,
  options: { fake?: FakeDiscordOptions; wrap?: (runtime: Runtime) => DiscordRuntime } = {},
): Promise<TestBot> {
  const fake = await FakeDiscordServer.start(options.fake);
  const target = pointedAt(runtime, fake);
  const adapter = createDiscordAdapter(options.wrap ? options.wrap(target) : target);
  const close = async () => {
    await adapter.stop();
    await fake.close();
  };
  try {
    await adapter.start();
  } catch (err) {
    await close();
    throw err;
  }
  return { fake, adapter, close };
}
