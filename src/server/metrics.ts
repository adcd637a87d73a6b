/**
 * The bot's Prometheus metrics (prom-client), on a registry of its own so tests and several
 * runtimes in one process never share counters. Served at `GET /metrics` by `src/server/http.ts`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Platform } from '../core/message.js';
import type { Reply } from '../core/reply.js';

export type LimitScope = 'user' | 'channel';

export class Metrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: 'koban_messages_total',
    help: 'Messages answered, by platform, intent and answer language',
    labelNames: ['platform', 'intent', 'lang'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'koban_answer_duration_seconds',
    help: 'Time the assistant took to answer one message',
    labelNames: ['platform'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'koban_fallbacks_total',
    help: 'Messages the bot could not answer (fallback replies), by platform and language',
    labelNames: ['platform', 'lang'] as const,
    registers: [this.registry],
  });
  private readonly limited = new Counter({
    name: 'koban_rate_limited_messages_total',
    help: 'Messages not answered because a per-user or per-channel rate limit was reached',
    labelNames: ['platform', 'scope'] as const,
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: 'koban_duplicate_events_total',
    help: 'Platform events not handled because this or another instance already took them (retries, replays)',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  private readonly apiErrors = new Counter({
    name: 'koban_outgoing_api_errors_total',
    help: 'Failed calls to a platform API (Slack Web API, Discord REST), by error code',
    labelNames: ['platform', 'code'] as const,
    registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: 'koban_knowledge_reloads_total',
    help: 'Knowledge base reloads after a file change, by result (ok, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly loadedAt = new Gauge({
    name: 'koban_knowledge_loaded_timestamp_seconds',
    help: 'When the knowledge base now serving was loaded (Unix time)',
    registers: [this.registry],
  });

  answered(platform: Platform, reply: Pick<Reply, 'intent' | 'lang'>, seconds: number): void {
    this.messages.inc({ platform, intent: reply.intent, lang: reply.lang });
    this.latency.observe({ platform }, seconds);
    if (reply.intent === 'fallback') this.fallbacks.inc({ platform, lang: reply.lang });
  }

  rateLimited(platform: Platform, scope: LimitScope): void {
    this.limited.inc({ platform, scope });
  }

  duplicate(platform: Platform): void {
    this.duplicates.inc({ platform });
  }

  apiError(platform: Platform, code: string | number): void {
    this.apiErrors.inc({ platform, code: String(code) });
  }

  knowledgeLoaded(at: Date): void {
    this.loadedAt.set(at.getTime() / 1000);
  }

  knowledgeReloaded(ok: boolean): void {
    this.reloads.inc({ result: ok ? 'ok' : 'failed' });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
