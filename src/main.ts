/**
 * The composition root: config → i18n → store → knowledge → assistant → adapters. Nothing else
 * wires things together.
 */
import { join } from 'node:path';
import { Assistant } from './assistant/assistant.js';
import { scheduleHandler } from './assistant/handlers/schedule.js';
import { visitHandler } from './assistant/handlers/visit.js';
import { prepareSmalltalk } from './assistant/smalltalk-cache.js';
import type { IntentHandler } from './assistant/turn.js';
import { VisitForms } from './assistant/visit-form.js';
import { VisitNotices } from './assistant/visit-notices.js';
import type { Config } from './config.js';
import { KnowledgeService } from './engines/knowledge/knowledge-service.js';
import { ScheduleService } from './engines/schedule/schedule-service.js';
import { Coordinators } from './engines/visits/coordinators.js';
import { readVisitPhrases } from './engines/visits/phrases.js';
import { visitRules } from './engines/visits/rules.js';
import { VisitService } from './engines/visits/visit-service.js';
import { I18nService } from './i18n/i18n.js';
import { limitSettings, MessageLimits } from './limits/message-limits.js';
import { type Logger, silentLogger } from './logger.js';
import { Metrics } from './server/metrics.js';
import { KyselyStore } from './stores/kysely-store.js';
import type { Store } from './stores/store.js';
import { StoreUnansweredLog, type UnansweredLog } from './stores/unanswered-log.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  i18n: I18nService;
  knowledge: KnowledgeService;
  store: Store;
  /** Side writes of unanswered questions (flush before reading them back). */
  unanswered: UnansweredLog;
  assistant: Assistant;
  visits: VisitService;
  /** The visit form as a whole, for platform modals. */
  visitForms: VisitForms;
  /** Coordinator posts, decisions and the requester's notices, over the running adapters' senders. */
  visitNotices: VisitNotices;
  /** Per-user and per-channel limits on platform messages (`src/limits/intake.ts` applies them). */
  limits: MessageLimits;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Reload the knowledge base when its files change (the long-running bot does). */
  watch?: boolean;
  /** Where unanswered questions go (default: the store); tests replace it. */
  unanswered?: UnansweredLog;
}

/** The store alone, as the bot opens it (CLI commands that need no knowledge base). */
export function openStore(
  config: Config,
  options: { logger?: Logger; clock?: () => Date } = {},
): Promise<KyselyStore> {
  return KyselyStore.open({
    path: config.dbPath,
    retentionDays: config.retentionDays,
    legacyUnansweredPath: config.unansweredPath,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? silentLogger();
  const i18n = new I18nService();
  // The store first: a database that cannot be opened stops the start before the slow index build.
  const store = await openStore(config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
  let knowledge: KnowledgeService | undefined;
  let unanswered: UnansweredLog;
  let metrics: Metrics;
  let limits: MessageLimits;
  let assistant: Assistant;
  let visits: VisitService;
  let visitNotices: VisitNotices;
  try {
    const loaded = new KnowledgeService(config.KOBAN_KNOWLEDGE, logger, {
      cacheDir: join(config.KOBAN_DATA_DIR, 'index-cache'),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    knowledge = loaded;
    const smalltalkCache = join(config.KOBAN_DATA_DIR, 'index-cache');
    prepareSmalltalk(loaded.kb, smalltalkCache, loaded.cacheKey, logger);
    loaded.onReloadResult((ok) => {
      if (ok) prepareSmalltalk(loaded.kb, smalltalkCache, loaded.cacheKey, logger);
    });
    const m = new Metrics();
    metrics = m;
    m.knowledgeLoaded(loaded.loadedAt);
    loaded.onReloadResult((ok) => {
      m.knowledgeReloaded(ok);
      if (ok) m.knowledgeLoaded(loaded.loadedAt);
    });
    limits = new MessageLimits(limitSettings(config), { logger });
    if (options.watch) knowledge.watch();
    unanswered = options.unanswered ?? new StoreUnansweredLog(store.unanswered, logger);
    const schedules = new ScheduleService(config.KOBAN_KNOWLEDGE, logger);
    knowledge.onReload(() => schedules.reload());
    const kbNow = knowledge;
    visits = new VisitService({
      visits: store.visits,
      audit: store.audit,
      rules: () => visitRules(kbNow.kb.center),
      coordinators: new Coordinators(config.KOBAN_COORDINATORS),
      clock: options.clock ?? (() => new Date()),
    });
    let phrases = readVisitPhrases(config.KOBAN_KNOWLEDGE);
    knowledge.onReload(() => {
      try {
        phrases = readVisitPhrases(config.KOBAN_KNOWLEDGE);
      } catch (err) {
        logger.error({ err }, 'knowledge/intents/visit.yaml is invalid; keeping the previous phrasings');
      }
    });
    const notices = new VisitNotices({
      service: visits,
      visits: store.visits,
      i18n,
      logger,
      channels: config.KOBAN_COORDINATOR_CHANNELS,
      audit: store.audit,
      clock: options.clock ?? (() => new Date()),
    });
    visitNotices = notices;
    const firstHandlers: IntentHandler[] = [
      visitHandler({
        service: visits,
        drafts: store.visits,
        phrases: () => phrases,
        i18n,
        logger,
        onSubmitted: (ref) => notices.submitted(ref),
        onAnswered: (ref, answer) => notices.answered(ref, answer),
      }),
    ];
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
      firstHandlers,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (err) {
    // A bad setting found after the database opened: release it and the watcher before failing.
    knowledge?.close();
    await store.close();
    throw err;
  }
  const kb = knowledge;
  return {
    config,
    logger,
    i18n,
    knowledge: kb,
    store,
    unanswered,
    assistant,
    visits,
    visitForms: new VisitForms({ service: visits, i18n, logger }),
    visitNotices,
    limits,
    metrics,
    async close() {
      kb.close();
      await unanswered.flush();
      await store.close();
    },
  };
}
