/** What `GET /healthz` reports: adapters connected, store open, the knowledge version serving. */
import type { Adapter } from '../core/adapter.js';
import type { KnowledgeService } from '../engines/knowledge/knowledge-service.js';
import type { Store } from '../stores/store.js';

export interface HealthReport {
  /** True when every adapter is connected, the store answers and the bot is not stopping. */
  ready: boolean;
  status: 'ok' | 'starting' | 'stopping' | 'degraded';
  adapters: Record<string, boolean>;
  store: 'open' | 'unavailable';
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
  const stage = src.stage();
  const healthy = Object.values(adapters).every(Boolean) && store === 'open';
  const status = stage !== 'running' ? stage : healthy ? 'ok' : 'degraded';
  return {
    ready: status === 'ok',
    status,
    adapters,
    store,
    knowledge: {
      version: src.knowledge.version,
      loadedAt: src.knowledge.loadedAt.toISOString(),
      entries: src.knowledge.kb.entries.size,
    },
  };
}
