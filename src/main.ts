/**
 * The composition root: config → i18n → knowledge → store → assistant → adapters. Nothing else
 * wires things together.
 */
import { join } from 'node:path';
import { Assistant } from './assistant/assistant.js';
import { scheduleHandler } from './assistant/handlers/schedule.js';
import type { IntentHandler } from './assistant/turn.js';
import type { Config } from './config.js';
import { KnowledgeService } from './engines/knowledge/knowledge-service.js';
import { ScheduleService } from './engines/schedule/schedule-service.js';
import { I18nService } from './i18n/i18n.js';
import { limitSettings, MessageLimits } from './limits/message-limits.js';
import { type Logger, silentLogger } from './logger.js';
import { Metrics } from './server/metrics.js';
import { SqliteStore } from './stores/sqlite-store.js';
import type { Store } from './stores/store.js';
import { JsonlUnansweredLog, type UnansweredLog } from './stores/unanswered-log.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  i18n: I18nService;
  knowledge: KnowledgeService;
  store: Store;
  assistant: Assistant;
  /** Per-user and per-channel limits on platform messages (`src/limits/intake.ts` applies them). */
  limits: MessageLimits;
  metrics: Metrics;
  close(): void;
}

export interface RuntimeOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Reload the knowledge base when its files change (the long-running bot does). */
  watch?: boolean;
  /** Where unanswered questions go (default: the JSON-lines file of the settings); tests replace it. */
  unanswered?: UnansweredLog;
}

export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const logger = options.logger ?? silentLogger();
  const i18n = new I18nService();
  const knowledge = new KnowledgeService(config.KOBAN_KNOWLEDGE, logger, {
    cacheDir: join(config.KOBAN_DATA_DIR, 'index-cache'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const metrics = new Metrics();
  metrics.knowledgeLoaded(knowledge.loadedAt);
  knowledge.onReloadResult((ok) => {
    metrics.knowledgeReloaded(ok);
    if (ok) metrics.knowledgeLoaded(knowledge.loadedAt);
  });
  const limits = new MessageLimits(limitSettings(config), { logger });
  if (options.watch) knowledge.watch();
  let store: SqliteStore | undefined;
  let assistant: Assistant;
  try {
    store = new SqliteStore(config.dbPath);
    const unanswered = options.unanswered ?? new JsonlUnansweredLog(config.unansweredPath);
    const schedules = new ScheduleService(config.KOBAN_KNOWLEDGE, logger);
    knowledge.onReload(() => schedules.reload());
    const extraHandlers: IntentHandler[] = [
      scheduleHandler({ schedules, store, i18n, logger, channelCourses: config.KOBAN_CHANNEL_COURSES }),
    ];
    assistant = new Assistant({
      knowledge,
      i18n,
      store,
      unanswered,
      logger,
      extraHandlers,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (err) {
    // A bad setting found after the database opened: release it and the watcher before failing.
    knowledge.close();
    store?.close();
    throw err;
  }
  return {
    config,
    logger,
    i18n,
    knowledge,
    store,
    assistant,
    limits,
    metrics,
    close() {
      knowledge.close();
      store.close();
    },
  };
}
