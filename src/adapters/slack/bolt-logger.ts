/** Bolt's logger interface over the project's pino logger, with tokens and secrets blanked out. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.js';

const TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;
// Socket Mode URLs carry a connection ticket.
const TICKET = /([?&]ticket=)[^&\s"]+/g;

/** Removes Slack tokens, Socket Mode tickets and the given secrets from a log line. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(TOKEN, '[token]').replace(TICKET, '$1[ticket]');
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[secret]');
  return out;
}

function describe(part: unknown): string {
  if (part instanceof Error) {
    const code = (part as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${part.message} (${code})` : part.message;
  }
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

function boltLevel(level: string): LogLevel {
  if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}

/** Routes Bolt, Web API and Socket Mode logs to `logger` (component "slack"); the pino level decides. */
export function boltLogger(logger: Logger, secrets: readonly string[]): BoltLogger {
  const log = logger.child({ component: 'slack' });
  // biome-ignore lint/suspicious/noExplicitAny: Bolt's Logger interface takes any[]
  const line = (parts: any[]): string => redact(parts.map(describe).join(' '), secrets);
  return {
    // The Web API client logs several debug lines per call: build and redact them only when kept.
    debug: (...parts) => {
      if (log.isLevelEnabled('debug')) log.debug(line(parts));
    },
    info: (...parts) => log.info(line(parts)),
    warn: (...parts) => log.warn(line(parts)),
    error: (...parts) => log.error(line(parts)),
    // The level is the project's LOG_LEVEL; Bolt's own setting is ignored on purpose.
    setLevel: () => {},
    getLevel: () => boltLevel(log.level),
    setName: () => {},
  };
}
