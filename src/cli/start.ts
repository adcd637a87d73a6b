/** `koban start` (what `npm start` runs): the assistant with every configured adapter. */
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { platformAdapters } from '../adapters/platforms.js';
import type { Config } from '../config.js';
import type { Adapter } from '../core/adapter.js';
import { LANGUAGES } from '../core/languages.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../main.js';

export async function start(config: Config, options: { console: boolean }): Promise<number> {
  const platforms = config.slackEnabled || config.discordEnabled;
  const logger = createLogger(config.LOG_LEVEL ?? (platforms ? 'info' : 'warn'));
  const runtime = createRuntime(config, { logger, watch: true });
  let adapters: Adapter[];
  try {
    adapters = await platformAdapters(runtime);
  } catch (err) {
    // A missing token: close the runtime (its file watcher would keep the process alive).
    runtime.close();
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
  logger.info({ adapters: names }, 'starting');
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

  let stopping = false;
  const stopAll = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled(adapters.map((a) => a.stop()));
    runtime.close();
  };
  const started: Adapter[] = [];
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
    }
  } catch (err) {
    // Coded setup errors (a refused token) are printed by the CLI as one line; log only the rest.
    if (!(err instanceof Error && typeof (err as { code?: unknown }).code === 'string')) {
      logger.error({ err }, 'an adapter failed to start');
    }
    await stopAll();
    throw err;
  }
  return await new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'stopping');
      void stopAll().then(() => resolve(0));
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    // With the console as the only adapter, the end of input ends the process.
    if (consoleAdapter && adapters.length === 1) {
      void consoleAdapter.done.then(() => stopAll().then(() => resolve(0)));
    }
  });
}
