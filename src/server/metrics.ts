/**
 * The bot's Prometheus metrics (prom-client), on a registry of its own so tests and several
 * runtimes in one process never share counters. Served at `GET /metrics` by `src/server/http.ts`.
 * prom-client is loaded when a metric is first counted or served, so `koban ask` never loads it.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Platform } from '../core/message.js';
import type { Reply } from '../core/reply.js';

export type LimitScope = 'user' | 'channel';

const require = createRequire(import.meta.url);

export class Metrics {
  private made: Instruments | undefined;
  /** Set before the instruments exist (at start), given to the gauge when they are made. */
  private loadedAtSeconds: number | undefined;

  get registry(): PromClient.Registry {
    return this.instruments.registry;
  }

  /** Loads prom-client and makes the instruments now (`koban start` does, once ready). */
  prepare(): void {
    void this.instruments;
  }

  private get instruments(): Instruments {
    if (!this.made) {
      this.made = new Instruments(require('prom-client') as typeof PromClient);
      if (this.loadedAtSeconds !== undefined) this.made.loadedAt.set(this.loadedAtSeconds);
    }
    return this.made;
  }

  answered(platform: Platform, reply: Pick<Reply, 'intent' | 'lang'>, seconds: number): void {
    const { messages, latency, fallbacks } = this.instruments;
    messages.inc({ platform, intent: reply.intent, lang: reply.lang });
    latency.observe({ platform }, seconds);
    if (reply.intent === 'fallback') fallbacks.inc({ platform, lang: reply.lang });
  }

  rateLimited(platform: Platform, scope: LimitScope): void {
    this.instruments.limited.inc({ platform, scope });
  }

  duplicate(platform: Platform): void {
    this.instruments.duplicates.inc({ platform });
  }

  apiError(platform: Platform, code: string | number): void {
    this.instruments.apiErrors.inc({ platform, code: String(code) });
  }

  knowledgeLoaded(at: Date): void {
    this.loadedAtSeconds = at.getTime() / 1000;
    this.made?.loadedAt.set(this.loadedAtSeconds);
  }

  knowledgeReloaded(ok: boolean): void {
    this.instruments.reloads.inc({ result: ok ? 'ok' : 'failed' });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    const { registry } = this.instruments;
    return { body: await registry.metrics(), contentType: registry.contentType };
  }
}

/** The instruments on their registry. */
class Instruments {
  readonly registry: PromClient.Registry;
  readonly messages: PromClient.Counter<'platform' | 'intent' | 'lang'>;
  readonly latency: PromClient.Histogram<'platform'>;
  readonly fallbacks: PromClient.Counter<'platform' | 'lang'>;
  readonly limited: PromClient.Counter<'platform' | 'scope'>;
  readonly duplicates: PromClient.Counter<'platform'>;
  readonly apiErrors: PromClient.Counter<'platform' | 'code'>;
  readonly reloads: PromClient.Counter<'result'>;
  readonly loadedAt: PromClient.Gauge;

  constructor({ Counter, Gauge, Histogram, Registry }: typeof PromClient) {
    this.registry = new Registry();
    this.messages = new Counter({
      name: 'koban_messages_total',
      help: 'Messages answered, by platform, intent and answer language',
      labelNames: ['platform', 'intent', 'lang'] as const,
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'koban_answer_duration_seconds',
      help: 'Time the assistant took to answer one message',
      labelNames: ['platform'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.fallbacks = new Counter({
      name: 'koban_fallbacks_total',
      help: 'Messages the bot could not answer (fallback replies), by platform and language',
      labelNames: ['platform', 'lang'] as const,
      registers: [this.registry],
    });
    this.limited = new Counter({
      name: 'koban_rate_limited_messages_total',
      help: 'Messages not answered because a per-user or per-channel rate limit was reached',
      labelNames: ['platform', 'scope'] as const,
      registers: [this.registry],
    });
    this.duplicates = new Counter({
      name: 'koban_duplicate_events_total',
      help: 'Platform events not handled because this or another instance already took them (retries, replays)',
      labelNames: ['platform'] as const,
      registers: [this.registry],
    });
    this.apiErrors = new Counter({
      name: 'koban_outgoing_api_errors_total',
      help: 'Failed calls to a platform API (Slack Web API, Discord REST), by error code',
      labelNames: ['platform', 'code'] as const,
      registers: [this.registry],
    });
    this.reloads = new Counter({
      name: 'koban_knowledge_reloads_total',
      help: 'Knowledge base reloads after a file change, by result (ok, failed)',
      labelNames: ['result'] as const,
      registers: [this.registry],
    });
    this.loadedAt = new Gauge({
      name: 'koban_knowledge_loaded_timestamp_seconds',
      help: 'When the knowledge base now serving was loaded (Unix time)',
      registers: [this.registry],
    });
  }
}
