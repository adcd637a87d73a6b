/**
 * What `GET /healthz` reports: adapters connected, store open (the database ok or failed), whether
 * this instance holds the Discord gateway, the knowledge version serving.
 */
import { gatewayRoleOf } from '../adapters/leader-adapter.js';
import type { Adapter } from '../core/adapter.js';
import type { KnowledgeService } from '../engines/knowledge/knowledge-service.js';
import type { Store } from '../stores/store.js';

export interface HealthReport {
  /** True when every adapter is connected, the store answers and the bot is not stopping. */
  ready: boolean;
  status: 'ok' | 'starting' | 'stopping' | 'degraded';
  adapters: Record<string, boolean>;
  store: 'open' | 'unavailable';
  /** The database (SQLite file or PostgreSQL server) answered a read. */
  database: 'ok' | 'failed';
  /** Discord: this instance runs the gateway (held), waits to take it over (standby), or Discord is off. */
  discordGateway: 'held' | 'standby' | 'off';
  knowledge: { version: string; loadedAt: string; entries: number };
}

export interface HealthSources {
  adapters: () => readonly Adapter[];
  store: Pick<Store, 'getUser'>;
  knowledge: Pick<KnowledgeService, 'version' | 'loadedAt' | 'kb'>;
  /** The life stage of the process. */
  stage: () => 'starting' | 'running' | 'stopping';
}

/** Builds the report; the store is probed with a read, so a closed or broken database shows. */
export async function checkHealth(src: HealthSources): Promise<HealthReport> {
  const adapters = Object.fromEntries(src.adapters().map((a) => [a.name, a.connected?.() ?? true]));
  let store: HealthReport['store'] = 'open';
  try {
    await Promise.resolve().then(() => src.store.getUser('koban:healthz'));
  } catch {
    store = 'unavailable';
  }
  const discord = src.adapters().find((a) => a.name === 'discord');
  const discordGateway = discord ? (gatewayRoleOf(discord) ?? 'held') : 'off';
  const stage = src.stage();
  const healthy = Object.values(adapters).every(Boolean) && store === 'open';
  const status = stage !== 'running' ? stage : healthy ? 'ok' : 'degraded';
  return {
    ready: status === 'ok',
    status,
    adapters,
    store,
    database: store === 'open' ? 'ok' : 'failed',
    discordGateway,
    knowledge: {
      version: src.knowledge.version,
      loadedAt: src.knowledge.loadedAt.toISOString(),
      entries: src.knowledge.kb.entries.size,
    },
  };
}
