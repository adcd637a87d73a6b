/**
 * `koban start` as operators run it, in-process: the HTTP server on KOBAN_HTTP_PORT shared by
 * /healthz, /metrics and Slack's HTTP mode, and the bounded shutdown on SIGTERM.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config.js';
import { directMessage, eventCallback, postSigned } from '../fakes/slack-payloads.js';
import { FakeSlackServer } from '../fakes/slack-server.js';
import { captureLog, SIGNING_SECRET, testEnv } from '../slack/harness.js';

let fake: FakeSlackServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Starts the bot like `npm start`; resolves once it is running, with its HTTP port and a stop(). */
async function startBot(mode: 'socket' | 'http', env: Record<string, string>) {
  fake = await FakeSlackServer.start();
  const log = captureLog();
  const signals = new EventEmitter();
  const config = loadConfig(testEnv(fake, mode, env));
  const exited = start(config, { console: false, signals, logger: log.logger });
  const portOf = () => /"port":(\d+),"msg":"http: listening"/.exec(log.text())?.[1];
  await fake.until(() => log.text().includes('"msg":"slack: connected"'), 'the bot', 60_000);
  const port = Number(portOf());
  return {
    port,
    log,
    exited,
    stop: async (): Promise<{ code: number; ms: number }> => {
      const started = performance.now();
      signals.emit('SIGTERM');
      const code = await exited;
      return { code, ms: performance.now() - started };
    },
  };
}

describe('the operations HTTP server', () => {
  it('serves /healthz, /metrics and Slack events on one port', async () => {
    const bot = await startBot('http', { KOBAN_HTTP_PORT: '0' });
    const base = `http://127.0.0.1:${bot.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as Record<string, unknown>;
    expect(report).toMatchObject({ ready: true, status: 'ok', adapters: { slack: true }, store: 'open' });
    expect((report.knowledge as { version: string }).version).toMatch(/^[0-9a-f]{12}$/);

    const event = eventCallback(directMessage('U0METRIC01', 'What is a Koban?'));
    const res = await postSigned(`${base}/slack/events`, 'event', event, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    await fake?.until(() => (fake?.posts().length ?? 0) > 0, 'the answer');

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/koban_messages_total\{platform="slack",intent="faq",lang="en"\} 1/);
    expect(text).toMatch(/koban_answer_duration_seconds_count\{platform="slack"\} 1/);
    expect(text).toMatch(/koban_knowledge_loaded_timestamp_seconds \d+/);
    expect(text).toContain('koban_rate_limited_messages_total');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);

    expect(await bot.stop()).toMatchObject({ code: 0 });
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 90_000);
});

describe('shutting down', () => {
  it('gives an answer stuck on a hanging Slack at most KOBAN_SHUTDOWN_GRACE_MS, then exits 0', async () => {
    const bot = await startBot('socket', { KOBAN_SHUTDOWN_GRACE_MS: '500' });
    fake?.hangNext('chat.postMessage');
    await fake?.send('events_api', eventCallback(directMessage('U0HANG0001', 'What is a Koban?')));
    await fake?.until(() => fake?.callsTo('chat.postMessage').length === 1, 'the hanging call');
    const { code, ms } = await bot.stop();
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(450);
    // The hanging call never answers: without the grace the stop would wait for the test's timeout.
    // The bound is loose so a loaded machine (CI on 2 cores) cannot fail it by slowness alone.
    expect(ms).toBeLessThan(10_000);
    expect(bot.log.text()).toContain('answers still in flight at the shutdown deadline');
  }, 90_000);
});
