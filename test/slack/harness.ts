/**
 * Starts the project's real Slack adapter (the same `createSlackAdapter` as `npm start`) against the
 * fake Slack, with only the tokens and URLs changed, and delivers payloads in either mode.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { loadConfig } from '../../src/config.js';
import { limitSettings, MessageLimits } from '../../src/limits/message-limits.js';
import type { Logger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { eventCallback, postSigned } from '../fakes/slack-payloads.js';
import { APP_TOKEN, type ApiCall, BOT_TOKEN, FakeSlackServer } from '../fakes/slack-server.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

export const SIGNING_SECRET = 'koban-test-signing-secret-8f2a';
/** A channel listed in SLACK_LISTEN_CHANNELS: questions there need no mention. */
export const LISTEN_CHANNEL = 'C0LISTEN01';
export const CHANNEL = 'C0TRAINING';

export type Mode = 'socket' | 'http';

export interface SlackHarness {
  mode: Mode;
  fake: FakeSlackServer;
  runtime: Runtime;
  adapter: SlackAdapter;
  /** Delivers an Events API event and waits until the bot has handled it. */
  event(event: Record<string, unknown>): Promise<void>;
  /** Delivers a whole `event_callback` envelope (again, as Slack's retry of its event id) and waits. */
  envelope(envelope: Record<string, unknown>): Promise<{ acked: boolean }>;
  /** Delivers a slash command; resolves with what Slack got back as the acknowledgement. */
  command(payload: object): Promise<{ acked: boolean }>;
  /** Delivers a button click. */
  action(payload: object): Promise<{ acked: boolean }>;
  /** Delivers a modal submission; resolves with the body of the bot's acknowledgement (`{}` when empty). */
  submit(payload: object): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function testEnv(
  fake: FakeSlackServer,
  mode: Mode,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const data = mkdtempSync(join(tmpdir(), 'koban-slack-'));
  return {
    KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
    KOBAN_DATA_DIR: data,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_PORT: '0',
    SLACK_API_URL: fake.apiUrl,
    SLACK_LISTEN_CHANNELS: LISTEN_CHANNEL,
    // The tests share users and channels across many questions; the limits have tests of their own.
    KOBAN_USER_LIMIT: '0',
    KOBAN_CHANNEL_LIMIT: '0',
    ...extra,
  };
}

// Loading the knowledge base is the slow part of a runtime: one per test file and database, shared by its harnesses.
let shared: Runtime | undefined;

/**
 * A runtime on the repository's knowledge whose config carries these SLACK_* settings (and whose
 * logger, when given, is the one the adapter logs to). Call closeSlackRuntime() in afterAll.
 */
export async function slackRuntime(env: NodeJS.ProcessEnv, logger?: Logger): Promise<Runtime> {
  const config = loadConfig(env);
  if (shared && shared.config.KOBAN_DATABASE_URL !== config.KOBAN_DATABASE_URL) await closeSlackRuntime();
  shared ??= await createRuntime(config);
  const limits = new MessageLimits(limitSettings(config), { logger: logger ?? shared.logger });
  return { ...shared, config, limits, ...(logger ? { logger } : {}) };
}

export async function closeSlackRuntime(): Promise<void> {
  await shared?.close();
  shared = undefined;
}

export async function startSlack(
  mode: Mode,
  options: { logger?: Logger; env?: Record<string, string> } = {},
): Promise<SlackHarness> {
  const fake = await FakeSlackServer.start();
  const runtime = await slackRuntime(testEnv(fake, mode, options.env), options.logger);
  const adapter = createSlackAdapter(runtime);
  try {
    await adapter.start();
  } catch (err) {
    await fake.close();
    throw err;
  }
  const url = () => `http://127.0.0.1:${adapter.port}/slack/events`;

  const deliver = async (
    kind: 'event' | 'command' | 'action',
    payload: object,
  ): Promise<{ acked: boolean }> => {
    if (mode === 'socket') {
      const type = kind === 'event' ? 'events_api' : kind === 'command' ? 'slash_commands' : 'interactive';
      await fake.send(type, payload);
      await adapter.idle();
      return { acked: true };
    }
    const res = await postSigned(url(), kind, payload, { secret: SIGNING_SECRET });
    await adapter.idle();
    return { acked: res.status === 200 };
  };

  return {
    mode,
    fake,
    runtime,
    adapter,
    event: async (event) => {
      const { acked } = await deliver('event', eventCallback(event));
      expect(acked).toBe(true);
    },
    envelope: (envelope) => deliver('event', envelope),
    command: (payload) => deliver('command', payload),
    action: (payload) => deliver('action', payload),
    submit: async (payload) => {
      if (mode === 'socket') {
        const ack = await fake.send('interactive', payload);
        await adapter.idle();
        return (ack.payload ?? {}) as Record<string, unknown>;
      }
      const res = await postSigned(url(), 'action', payload, { secret: SIGNING_SECRET });
      await adapter.idle();
      expect(res.status).toBe(200);
      return res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
    },
    close: async () => {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Everything a posted message shows: its blocks and fallback text, as one string. */
export function shown(call: ApiCall | undefined): string {
  return call ? JSON.stringify({ text: call.args.text, blocks: call.args.blocks }) : '';
}

interface Block {
  type: string;
  text?: { text: string };
  elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[];
}

/** The buttons of a posted message. */
export function buttons(
  call: ApiCall | undefined,
): { action_id: string; value: string; text: { text: string } }[] {
  const blocks = (call?.args.blocks ?? []) as Block[];
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => ({ action_id: e.action_id ?? '', value: e.value ?? '', text: { text: e.text?.text ?? '' } }));
}

/** A trace-level logger that keeps every line, to check what reaches the operator's log. */
export function captureLog(): { logger: Logger; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), text: () => text };
}
