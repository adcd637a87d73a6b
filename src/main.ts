/**
 * The composition root: config → i18n → store → knowledge → assistant → adapters. Nothing else
 * wires things together.
 */
import { join } from 'node:path';
import { AnnounceForms } from './assistant/announce-form.js';
import { Assistant } from './assistant/assistant.js';
import { ConversationMemory } from './assistant/conversation-memory.js';
import { announceHandler } from './assistant/handlers/announce.js';
import { announceDmHandler } from './assistant/handlers/announce-dm.js';
import { feedbackHandler } from './assistant/handlers/feedback.js';
import { followUpHandler } from './assistant/handlers/follow-up.js';
import { handoffHandler } from './assistant/handlers/handoff.js';
import { reminderHandler } from './assistant/handlers/reminder.js';
import { parseChannelCourses, scheduleHandler } from './assistant/handlers/schedule.js';
import { contactsReply } from './assistant/handlers/smalltalk.js';
import { visitHandler } from './assistant/handlers/visit.js';
import { prepareSmalltalk } from './assistant/smalltalk-cache.js';
import { smalltalkMatcherFor } from './assistant/smalltalk-match.js';
import type { IntentHandler, Turn } from './assistant/turn.js';
import { VisitForms } from './assistant/visit-form.js';
import { VisitNotices } from './assistant/visit-notices.js';
import type { Config } from './config.js';
import { SenderRegistry } from './core/sender.js';
import { rememberZoneOffsets } from './core/zone-offsets.js';
import { AnnouncementService } from './engines/announcements/announcement-service.js';
import { ChannelDirectory, parseChannelLanguages } from './engines/announcements/channels.js';
import { readAnnouncementPhrases } from './engines/announcements/dm-phrases.js';
import { failureNotifier } from './engines/announcements/failure-notice.js';
import { noticeRenderer } from './engines/announcements/notices.js';
import { OutboxWorker } from './engines/announcements/outbox.js';
import { readFollowUpPhrases } from './engines/conversation/follow-up-phrases.js';
import { HandoffService } from './engines/handoff/handoff-service.js';
import { KnowledgeService } from './engines/knowledge/knowledge-service.js';
import { readYaml, YamlCache } from './engines/knowledge/yaml-cache.js';
import { OutboxReminderSink } from './engines/reminders/outbox-sink.js';
import { readReminderPhrases } from './engines/reminders/phrases.js';
import { ReminderScheduler } from './engines/reminders/scheduler.js';
import { centerReminderSettings } from './engines/reminders/settings.js';
import type { ReminderSink } from './engines/reminders/sink.js';
import { ScheduleService } from './engines/schedule/schedule-service.js';
import { takeScheduleWords } from './engines/schedule/schedule-words.js';
import { Coordinators } from './engines/visits/coordinators.js';
import { readVisitPhrases } from './engines/visits/phrases.js';
import { visitRules } from './engines/visits/rules.js';
import { VisitService } from './engines/visits/visit-service.js';
import { I18nService } from './i18n/i18n.js';
import { limitSettings, MessageLimits } from './limits/message-limits.js';
import { type Logger, silentLogger } from './logger.js';
import { Metrics } from './server/metrics.js';
import type { PostgresSettings } from './stores/db.js';
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
  /** The `/announce` form: preview from the service's dry run, then Confirm queues it. */
  announceForms: AnnounceForms;
  /** Coordinator posts, decisions and the requester's notices, over the running adapters' senders. */
  visitNotices: VisitNotices;
  /** Per-user and per-channel limits on platform messages (`src/limits/intake.ts` applies them). */
  limits: MessageLimits;
  metrics: Metrics;
  /** The running adapters' senders, for outgoing work (the outbox). */
  senders: SenderRegistry;
  /** Delivers announcements and reminders from the store's outbox (`koban start` starts it). */
  outbox: OutboxWorker;
  /** Coordinators' announcements: audiences, previews, cancel, withdraw, correct, confirmations. */
  announcements: AnnouncementService;
  /** Hand-offs to a person: coordinator threads and relays. */
  handoffs: HandoffService;
  /** Timetable, change and personal reminders, when a sink was given (`RuntimeOptions.reminderSink`). */
  reminders?: ReminderScheduler;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Reload the knowledge base when its files change (the long-running bot does). */
  watch?: boolean;
  /** Where unanswered questions go (default: the store); tests replace it. */
  unanswered?: UnansweredLog;
  /**
   * Where reminders go to be sent when due: `'outbox'` is the store's announcements outbox (what
   * `koban start` uses); none: reminders are not planned.
   */
  reminderSink?: ReminderSink | 'outbox';
}

/** The store alone, as the bot opens it (CLI commands that need no knowledge base). */
export function openStore(
  config: Config,
  options: { logger?: Logger; clock?: () => Date; backgroundCheckpoints?: boolean } = {},
): Promise<KyselyStore> {
  return KyselyStore.open({
    path: config.dbPath,
    sqliteSync: config.KOBAN_SQLITE_SYNC,
    sqliteBackgroundCheckpoints: options.backgroundCheckpoints,
    postgres: postgresSettings(config),
    retentionDays: config.retentionDays,
    legacyUnansweredPath: config.unansweredPath,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** The PostgreSQL connection settings, when KOBAN_DATABASE_URL is set. */
export function postgresSettings(config: Config): PostgresSettings | undefined {
  if (!config.KOBAN_DATABASE_URL) return undefined;
  return {
    url: config.KOBAN_DATABASE_URL,
    poolSize: config.KOBAN_DATABASE_POOL_SIZE,
    ssl: config.KOBAN_DATABASE_SSL,
    caFile: config.KOBAN_DATABASE_CA,
    statementTimeoutMs: config.KOBAN_DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.KOBAN_DATABASE_CONNECT_TIMEOUT_MS,
  };
}

/** The channels announcements go to, from KOBAN_CHANNEL_COURSES and KOBAN_CHANNEL_LANGUAGES. */
export function announcementChannels(config: Config): ChannelDirectory {
  return new ChannelDirectory(
    parseChannelCourses(config.KOBAN_CHANNEL_COURSES),
    parseChannelLanguages(config.KOBAN_CHANNEL_LANGUAGES),
  );
}

/** The announcement service as the bot and `koban announce` both use it. */
export function announcementService(
  config: Config,
  store: Store,
  schedules: ScheduleService,
  i18n: I18nService,
  clock: () => Date,
): AnnouncementService {
  return new AnnouncementService({
    store,
    coordinators: new Coordinators(config.KOBAN_COORDINATORS),
    channels: announcementChannels(config),
    courseZone: (id) => schedules.course(id)?.timezone,
    notices: noticeRenderer({
      courses: () => schedules.courses,
      defaultZone: () => schedules.courses[0]?.timezone ?? 'Asia/Tokyo',
      i18n,
    }),
    i18n,
    clock,
  });
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? silentLogger();
  // Schedule answers and the date parser ask luxon for zone offsets many times a turn.
  rememberZoneOffsets();
  const i18n = new I18nService();
  // The store first: a database that cannot be opened stops the start before the slow index build.
  // The long-running bot may checkpoint SQLite off the event loop (`stores/sqlite-checkpointer.ts`,
  // KOBAN_SQLITE_CHECKPOINTS=worker): a worker thread costs about 8 MB, worth it only under load.
  const store = await openStore(config, {
    logger,
    backgroundCheckpoints: (options.watch ?? false) && config.KOBAN_SQLITE_CHECKPOINTS === 'worker',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let knowledge: KnowledgeService | undefined;
  let unanswered: UnansweredLog;
  let metrics: Metrics;
  let limits: MessageLimits;
  let assistant: Assistant;
  let visits: VisitService;
  let visitNotices: VisitNotices;
  let announcements: AnnouncementService;
  let reminders: ReminderScheduler | undefined;
  let handoffs: HandoffService;
  try {
    const loaded = new KnowledgeService(config.KOBAN_KNOWLEDGE, logger, {
      cacheDir: join(config.KOBAN_DATA_DIR, 'index-cache'),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    knowledge = loaded;
    const smalltalkCache = join(config.KOBAN_DATA_DIR, 'index-cache');
    // Saved under a hash of its own inputs: an edited answer keeps it (smalltalk-cache.ts).
    prepareSmalltalk(loaded.kb, smalltalkCache, loaded.engineKey, logger);
    loaded.onReloadResult((ok) => {
      if (ok) prepareSmalltalk(loaded.kb, smalltalkCache, loaded.engineKey, logger);
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
    // This version's side files (schedule words, phrases) parsed at an earlier start, when saved.
    const yamlCache = loaded.cacheKey ? YamlCache.open(smalltalkCache, loaded.cacheKey) : undefined;
    const yaml = yamlCache?.read ?? readYaml;
    // The configured schedule words before the timetables are read (session names use them).
    takeScheduleWords(config.KOBAN_KNOWLEDGE, logger, yaml);
    knowledge.onReload(() => takeScheduleWords(config.KOBAN_KNOWLEDGE, logger));
    const schedules = new ScheduleService(
      config.KOBAN_KNOWLEDGE,
      logger,
      loaded.cacheKey ? { dir: smalltalkCache, key: loaded.cacheKey } : undefined,
    );
    knowledge.onReload(() => schedules.reload());
    announcements = announcementService(config, store, schedules, i18n, options.clock ?? (() => new Date()));
    const kbNow = knowledge;
    visits = new VisitService({
      visits: store.visits,
      audit: store.audit,
      rules: () => visitRules(kbNow.kb.center),
      coordinators: new Coordinators(config.KOBAN_COORDINATORS),
      clock: options.clock ?? (() => new Date()),
    });
    let phrases = readVisitPhrases(config.KOBAN_KNOWLEDGE, yaml);
    knowledge.onReload(() => {
      try {
        phrases = readVisitPhrases(config.KOBAN_KNOWLEDGE);
      } catch (err) {
        logger.error({ err }, 'knowledge/intents/visit.yaml is invalid; keeping the previous phrasings');
      }
    });
    let announcementPhrases = readAnnouncementPhrases(config.KOBAN_KNOWLEDGE, yaml);
    knowledge.onReload(() => {
      try {
        announcementPhrases = readAnnouncementPhrases(config.KOBAN_KNOWLEDGE);
      } catch (err) {
        logger.error(
          { err },
          'knowledge/intents/announcements.yaml is invalid; keeping the previous phrasings',
        );
      }
    });
    let reminderPhrases = readReminderPhrases(config.KOBAN_KNOWLEDGE, yaml);
    knowledge.onReload(() => {
      try {
        reminderPhrases = readReminderPhrases(config.KOBAN_KNOWLEDGE);
      } catch (err) {
        logger.error({ err }, 'knowledge/intents/reminders.yaml is invalid; keeping the previous phrasings');
      }
    });
    if (options.reminderSink) {
      reminders = new ReminderScheduler({
        sink:
          options.reminderSink === 'outbox'
            ? new OutboxReminderSink({
                store,
                channels: announcementChannels(config),
                clock: options.clock ?? (() => new Date()),
              })
            : options.reminderSink,
        clock: options.clock ?? (() => new Date()),
        schedules,
        i18n,
        channelCourses: parseChannelCourses(config.KOBAN_CHANNEL_COURSES),
        centerSettings: () => centerReminderSettings(kbNow.kb.center),
        personal: store.reminders,
        logger,
      });
      await reminders.start();
    }
    const scheduler = reminders;
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
    const memory = new ConversationMemory(
      store.context,
      logger,
      () => schedules.courses[0]?.timezone ?? 'UTC',
    );
    const handoffService = new HandoffService({
      repo: store.handoffs,
      audit: store.audit,
      // The registry is made below; senders are only asked for once adapters run.
      senders: { get: (platform) => senders.get(platform) },
      coordinators: new Coordinators(config.KOBAN_COORDINATORS),
      channels: config.KOBAN_COORDINATOR_CHANNELS,
      i18n,
      hours: config.KOBAN_HANDOFF_HOURS,
    });
    handoffs = handoffService;
    const firstHandlers: IntentHandler[] = [
      handoffHandler({
        service: handoffService,
        memory,
        smalltalk: (text) => smalltalkMatcherFor(kbNow.kb).match(text),
        contacts: (turn) => contactsReply(turn, kbNow.kb),
        logger,
      }),
      feedbackHandler({ feedback: store.feedback, memory, knowledge, logger }),
      announceHandler({ announcements }),
      announceDmHandler({ dms: store.announcementDms, phrases: () => announcementPhrases }),
      visitHandler({
        service: visits,
        drafts: store.visits,
        phrases: () => phrases,
        i18n,
        logger,
        onSubmitted: (ref) => notices.submitted(ref),
        onAnswered: (ref, answer) => notices.answered(ref, answer),
        leavesForm: (turn) => correctionElsewhere(turn),
      }),
      reminderHandler({
        schedules,
        reminders: store.reminders,
        phrases: () => reminderPhrases,
        i18n,
        logger,
        ...(scheduler ? { onAdded: (r) => scheduler.addPersonal(r) } : {}),
      }),
    ];
    let followUps = readFollowUpPhrases(config.KOBAN_KNOWLEDGE, yaml);
    yamlCache?.save();
    knowledge.onReload(() => {
      try {
        followUps = readFollowUpPhrases(config.KOBAN_KNOWLEDGE);
      } catch (err) {
        logger.error({ err }, 'knowledge/intents/follow-ups.yaml is invalid; keeping the previous phrasings');
      }
    });
    const schedule = scheduleHandler({
      schedules,
      store,
      i18n,
      logger,
      channelCourses: config.KOBAN_CHANNEL_COURSES,
      onQuestion: (turn, q) => memory.noteSchedule(turn, q),
    });
    /** "no, I meant the timetable" naming something the FAQ or the timetable answers (issue 14). */
    const faqNow = knowledge;
    const correctionElsewhere = async (turn: Turn): Promise<boolean> => {
      const found = followUps.match(turn.text, turn.lang);
      if (found?.kind !== 'meant') return false;
      const as: Turn = { ...turn, text: found.topic };
      return faqNow.faq.search(found.topic, turn.lang).answer !== undefined || (await schedule.match(as));
    };
    const extraHandlers: IntentHandler[] = [
      followUpHandler({ memory, phrases: () => followUps, knowledge, schedules, schedule, i18n }),
      schedule,
    ];
    assistant = new Assistant({
      knowledge,
      i18n,
      store,
      unanswered,
      logger,
      extraHandlers,
      firstHandlers,
      lastFaqEntry: async (turn) => {
        const last = (await memory.get(turn))?.last;
        return last?.intent === 'faq' ? last.entryId : undefined;
      },
      // A message relayed to a hand-off thread is not part of the bot's conversation.
      afterTurn: async (turn, reply) => (reply.silent ? undefined : memory.record(turn, reply)),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (err) {
    // A bad setting found after the database opened: release it and the watcher before failing.
    reminders?.stop();
    knowledge?.close();
    await store.close();
    throw err;
  }
  const kb = knowledge;
  const senders = new SenderRegistry();
  const outbox = new OutboxWorker({
    store,
    senders,
    i18n,
    logger,
    leaseMs: config.KOBAN_OUTBOX_LEASE_SECONDS * 1000,
    pollMs: config.KOBAN_OUTBOX_POLL_MS,
    ...(options.clock ? { clock: options.clock } : {}),
    onFailed: failureNotifier({
      store,
      senders,
      i18n,
      logger,
      coordinatorChannels: config.KOBAN_COORDINATOR_CHANNELS,
    }),
  });
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
    announceForms: new AnnounceForms({
      service: announcements,
      drafts: store.announcements,
      i18n,
      logger,
      clock: options.clock ?? (() => new Date()),
    }),
    visitNotices,
    limits,
    metrics,
    senders,
    outbox,
    announcements,
    handoffs,
    ...(reminders ? { reminders } : {}),
    async close() {
      reminders?.stop();
      await outbox.stop();
      await assistant.flush();
      kb.close();
      await unanswered.flush();
      await store.close();
    },
  };
}
