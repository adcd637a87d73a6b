import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeaderAdapter } from '../../src/adapters/leader-adapter.js';
import { loadConfig } from '../../src/config.js';
import type { Adapter } from '../../src/core/adapter.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/main.js';
import { checkHealth, type HealthSources } from '../../src/server/health.js';
import { HttpServer } from '../../src/server/http.js';
import { Metrics } from '../../src/server/metrics.js';
import type { GatewayLock, GatewayRole } from '../../src/stores/gateway-lock.js';

const adapter = (name: string, connected: boolean): Adapter => ({
  name,
  start: async () => {},
  stop: async () => {},
  connected: () => connected,
});

const sources = (over: Partial<HealthSources> = {}): HealthSources => ({
  adapters: () => [adapter('slack', true), adapter('discord', true)],
  store: { getUser: async () => ({}) },
  knowledge: {
    version: 'abc123def456',
    loadedAt: new Date('2027-01-05T09:00:00Z'),
    kb: { entries: new Map() },
  } as never,
  stage: () => 'running',
  ...over,
});

async function healthz(src: HealthSources): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = new HttpServer(silentLogger()).serveOperations({
    health: () => checkHealth(src),
    metrics: new Metrics(),
  });
  const res = await server.app.request('/healthz');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/healthz', () => {
  it('is 200 when every adapter is connected and the store answers', async () => {
    const { status, body } = await healthz(sources());
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ready: true,
      adapters: { slack: true, discord: true },
      store: 'open',
      database: 'ok',
      discordGateway: 'held',
      knowledge: { version: 'abc123def456', loadedAt: '2027-01-05T09:00:00.000Z', entries: 0 },
    });
  });

  it.each([
    [
      'an adapter is disconnected',
      { adapters: () => [adapter('slack', true), adapter('discord', false)] },
      'degraded',
    ],
    [
      'the store fails',
      {
        store: {
          getUser: () => {
            throw new Error('database is closed');
          },
        },
      },
      'degraded',
    ],
    ['the bot is starting', { stage: () => 'starting' as const }, 'starting'],
    ['the bot is stopping', { stage: () => 'stopping' as const }, 'stopping'],
  ])('is 503 when %s', async (_name, over, status) => {
    const { status: code, body } = await healthz(sources(over as Partial<HealthSources>));
    expect(code).toBe(503);
    expect(body).toMatchObject({ ready: false, status });
  });
});

describe('/healthz with several instances', () => {
  const lock = (role: GatewayRole): GatewayLock => ({
    role: () => role,
    start: async (handlers) => {
      if (role === 'held') await handlers.onHeld();
    },
    stop: async () => {},
  });

  it('reports a standby instance as healthy and says it does not hold the Discord gateway', async () => {
    const discord = new LeaderAdapter(adapter('discord', false), lock('standby'), silentLogger());
    const { status, body } = await healthz(sources({ adapters: () => [adapter('slack', true), discord] }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ ready: true, discordGateway: 'standby', adapters: { discord: true } });
  });

  it('says the gateway is held here, off without Discord, and the database failed when it does', async () => {
    const discord = new LeaderAdapter(adapter('discord', true), lock('held'), silentLogger());
    await discord.start();
    expect((await healthz(sources({ adapters: () => [discord] }))).body).toMatchObject({
      discordGateway: 'held',
      adapters: { discord: true },
    });
    const broken = await healthz(
      sources({
        adapters: () => [adapter('slack', true)],
        store: {
          getUser: () => Promise.reject(new Error('connection terminated')),
        },
      }),
    );
    expect(broken.status).toBe(503);
    expect(broken.body).toMatchObject({ discordGateway: 'off', database: 'failed' });
  });
});

describe('/metrics', () => {
  it('counts messages, fallbacks, rate limits, API errors and reloads in Prometheus format', async () => {
    const metrics = new Metrics();
    metrics.answered('discord', { intent: 'fallback', lang: 'th' }, 0.012);
    metrics.rateLimited('discord', 'channel');
    metrics.apiError('slack', 'ratelimited');
    metrics.knowledgeReloaded(false);
    const server = new HttpServer(silentLogger()).serveOperations({
      health: () => checkHealth(sources()),
      metrics,
    });
    const text = await (await server.app.request('/metrics')).text();
    expect(text).toContain('koban_messages_total{platform="discord",intent="fallback",lang="th"} 1');
    expect(text).toContain('koban_fallbacks_total{platform="discord",lang="th"} 1');
    expect(text).toContain('koban_answer_duration_seconds_bucket{le="0.025",platform="discord"} 1');
    expect(text).toContain('koban_rate_limited_messages_total{platform="discord",scope="channel"} 1');
    expect(text).toContain('koban_outgoing_api_errors_total{platform="slack",code="ratelimited"} 1');
    expect(text).toContain('koban_knowledge_reloads_total{result="failed"} 1');
  });
});

describe('knowledge reload metrics', () => {
  it('counts good and failed reloads and moves the load time only on a good one', async () => {
    const kb = mkdtempSync(join(tmpdir(), 'koban-kb-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'kb-small'), kb, { recursive: true });
    let now = new Date('2027-01-05T09:00:00Z');
    const runtime = await createRuntime(
      loadConfig({ KOBAN_KNOWLEDGE: kb, KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-d-')) }),
      {
        clock: () => now,
      },
    );
    try {
      const version = runtime.knowledge.version;
      now = new Date('2027-01-05T10:00:00Z');
      writeFileSync(join(kb, 'center.yaml'), 'not: [valid');
      expect(runtime.knowledge.reload()).toBe(false);
      cpSync(join(import.meta.dirname, '..', 'fixtures', 'kb-small', 'center.yaml'), join(kb, 'center.yaml'));
      writeFileSync(join(kb, 'off-topic', 'en.yaml'), 'examples:\n  - bitcoin price today\n');
      expect(runtime.knowledge.reload()).toBe(true);
      expect(runtime.knowledge.version).not.toBe(version);
      const text = (await runtime.metrics.render()).body;
      expect(text).toContain('koban_knowledge_reloads_total{result="failed"} 1');
      expect(text).toContain('koban_knowledge_reloads_total{result="ok"} 1');
      expect(text).toContain(`koban_knowledge_loaded_timestamp_seconds ${now.getTime() / 1000}`);
    } finally {
      await runtime.close();
    }
  });
});
