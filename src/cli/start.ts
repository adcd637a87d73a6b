/**
 * `koban start` (what `npm start` runs): the assistant with every configured adapter, the HTTP
 * server for health and metrics (KOBAN_HTTP_PORT), and a bounded shutdown on SIGINT/SIGTERM.
 */
import type { EventEmitter } from 'node:events';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { platformAdapters } from '../adapters/platforms.js';
import { loadLanguageDetector } from '../assistant/language-detection.js';
import { smalltalkMatcherFor } from '../assistant/smalltalk-match.js';
import type { Config } from '../config.js';
import type { Adapter } from '../core/adapter.js';
import { LANGUAGES } from '../core/languages.js';
import { settlesWithin } from '../core/within.js';
import { createLogger, type Logger } from '../logger.js';
import { createRuntime, type Runtime } from '../main.js';
import { checkHealth } from '../server/health.js';
import { HttpServer } from '../server/http.js';
import { warmUp } from './warm-up.js';

export interface StartOptions {
  console: boolean;
  /** Where SIGINT/SIGTERM come from (tests pass an emitter). */
  signals?: Pick<EventEmitter, 'once'>;
  logger?: Logger;
}

/** How often the running bot looks for visit decisions not yet told to their requesters. */
const PENDING_NOTICES_MS = 60_000;

/** Past the grace period, closing adapters and the store may take this much longer before giving up. */
const CLOSE_MARGIN_MS = 5000;

export async function start(config: Config, options: StartOptions): Promise<number> {
  const platforms = config.slackEnabled || config.discordEnabled;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL ?? (platforms ? 'info' : 'warn'));
  // Timetable, change and personal reminders go through the same outbox as announcements.
  const runtime = await createRuntime(config, { logger, watch: true, reminderSink: 'outbox' });
  let stage: 'starting' | 'running' | 'stopping' = 'starting';
  const adapters: Adapter[] = [];
  const http =
    config.KOBAN_HTTP_PORT === undefined
      ? undefined
      : new HttpServer(logger).serveOperations({
          metrics: runtime.metrics,
          health: () =>
            checkHealth({
              adapters: () => adapters,
              store: runtime.store,
              knowledge: runtime.knowledge,
              stage: () => stage,
            }),
        });
  try {
    adapters.push(...(await platformAdapters(runtime, http)));
  } catch (err) {
    // A missing token: close the runtime (its file watcher would keep the process alive).
    await runtime.close();
    throw err;
  }
  const withConsole = options.console || adapters.length === 0;
  const names = [...adapters.map((a) => a.name), ...(withConsole ? ['console'] : [])];
  const t = runtime.i18n.t('en');
  const banner = t('console.banner', {
    entries: runtime.knowledge.kb.entries.size,
    languages: LANGUAGES.length,
    adapters: names.join(', '),
  });
  logger.info({ adapters: names, knowledge: runtime.knowledge.version }, 'starting');
  const unconfirmed = runtime.knowledge.kb.unconfirmed.length;
  if (unconfirmed > 0)
    logger.warn(
      { unconfirmed },
      `center.yaml: ${unconfirmed} value(s) not confirmed by the operator; run "koban kb validate --go-live"`,
    );

  let consoleAdapter: ConsoleAdapter | undefined;
  const interactive = Boolean(process.stdin.isTTY);
  if (withConsole) {
    consoleAdapter = new ConsoleAdapter({
      assistant: runtime.assistant,
      i18n: runtime.i18n,
      ...(interactive ? { banner: `${banner}\n${t('console.hint')}` } : {}),
    });
    if (!interactive) process.stderr.write(`${banner}\n`);
    adapters.push(consoleAdapter);
  }

  let stopped: Promise<number> | undefined;
  let sweep: NodeJS.Timeout | undefined;
  const stopAll = (): Promise<number> => {
    clearInterval(sweep);
    stopped ??= shutdown(runtime, adapters, http, config.KOBAN_SHUTDOWN_GRACE_MS, () => {
      stage = 'stopping';
    });
    return stopped;
  };
  try {
    if (http && config.KOBAN_HTTP_PORT !== undefined) await http.listen(config.KOBAN_HTTP_PORT);
    for (const adapter of adapters) await adapter.start();
  } catch (err) {
    // Coded setup errors (a refused token) are printed by the CLI as one line; log only the rest.
    if (!(err instanceof Error && typeof (err as { code?: unknown }).code === 'string')) {
      logger.error({ err }, 'an adapter failed to start');
    }
    await stopAll();
    throw err;
  }
  stage = 'running';
  // What `koban ask` leaves until used, loaded once ready (the first messages then find it loaded),
  // one step at a time so that messages arriving meanwhile are answered between the steps.
  void warmUp(
    [
      ['metrics', () => runtime.metrics.prepare()],
      ['rate limits', () => runtime.limits.prepare()],
      ['small talk', () => smalltalkMatcherFor(runtime.knowledge.kb)],
      // Language detection, for the first Latin-script message.
      ['language detection', () => loadLanguageDetector()],
      ['indexes', () => runtime.knowledge.faq.restoreAll()],
    ],
    logger,
  );
  // Decisions made with `koban visits decide` (or while a platform was down) reach the requester.
  sweep = setInterval(() => void runtime.visitNotices.deliverPending(), PENDING_NOTICES_MS);
  sweep.unref();
  // Announcements and reminders the CLI or the chat queued, including those due while it was down.
  runtime.outbox.start();
  const signals = options.signals ?? process;
  return await new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal, graceMs: config.KOBAN_SHUTDOWN_GRACE_MS }, 'stopping');
      void stopAll().then(resolve);
    };
    signals.once('SIGINT', () => onSignal('SIGINT'));
    signals.once('SIGTERM', () => onSignal('SIGTERM'));
    // With the console as the only adapter, the end of input ends the process.
    if (consoleAdapter && adapters.length === 1) {
      void consoleAdapter.done.then(() => stopAll().then(resolve));
    }
  });
}

/**
 * Stops intake everywhere at once, gives answers in flight at most `graceMs`, then closes the
 * adapters, the HTTP server and the store. 0 when everything closed cleanly, 1 otherwise.
 */
async function shutdown(
  runtime: Runtime,
  adapters: readonly Adapter[],
  http: HttpServer | undefined,
  graceMs: number,
  stopping: () => void,
): Promise<number> {
  stopping();
  // No new deliveries; the one in flight finishes (its lease covers a crash anyway).
  await settlesWithin(runtime.outbox.stop(), graceMs);
  let failures = 0;
  const stops = Promise.allSettled(adapters.map((a) => a.stop({ graceMs })));
  if (!(await settlesWithin(stops, graceMs + CLOSE_MARGIN_MS))) {
    runtime.logger.error({ graceMs }, 'shutdown: an adapter did not close in time');
    failures++;
  } else {
    for (const [i, result] of (await stops).entries()) {
      if (result.status === 'rejected') {
        runtime.logger.error(
          { adapter: adapters[i]?.name, err: result.reason },
          'shutdown: an adapter did not close cleanly',
        );
        failures++;
      }
    }
  }
  await http?.close();
  try {
    await runtime.close();
  } catch (err) {
    runtime.logger.error({ err }, 'shutdown: the store did not close cleanly');
    failures++;
  }
  runtime.logger.info({ clean: failures === 0 }, 'stopped');
  return failures === 0 ? 0 : 1;
}
