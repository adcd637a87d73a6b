/** Settings from the environment (and `.env`), validated once at start-up. See `.env.example`. */
import { z } from 'zod';
import { channelLanguagesEntrySchema } from './engines/announcements/channels.js';
import { coordinatorEntrySchema } from './engines/visits/coordinators.js';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
/** A whole number from `min` to `max`; anything else gets one line saying so. */
const whole = (min: number, max: number, unit: string) => {
  const error = `expected a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const envSchema = z.object({
  KOBAN_KNOWLEDGE: z.string().default('knowledge'),
  KOBAN_DATA_DIR: z.string().default('data'),
  KOBAN_DB: optional,
  KOBAN_UNANSWERED_LOG: optional,
  KOBAN_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
  KOBAN_SQLITE_CHECKPOINTS: z.enum(['inline', 'worker']).default('inline'),
  // PostgreSQL for several instances (see .env.example); without it, the SQLite file.
  KOBAN_DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, {
        message: 'write it as postgres://user:password@host:5432/database',
      })
      .optional(),
  ),
  KOBAN_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  KOBAN_DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  KOBAN_DATABASE_CA: optional,
  KOBAN_DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  KOBAN_DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  // The outbox worker and the Discord gateway election (README: "Running several instances").
  KOBAN_OUTBOX_LEASE_SECONDS: whole(5, 3600, 'seconds').default(120),
  KOBAN_OUTBOX_POLL_MS: whole(100, 600_000, 'milliseconds').default(5000),
  KOBAN_GATEWAY_POLL_MS: whole(100, 25_000, 'milliseconds').default(5000),
  KOBAN_RETENTION_DAYS: optional.pipe(
    z.coerce.number<string | undefined>().int().min(1).max(3650).optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SLACK_BOT_TOKEN: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  // 0 picks a free port (tests).
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SLACK_API_URL: optional.pipe(z.url().optional()),
  SLACK_LISTEN_CHANNELS: list,
  SLACK_REPLY_IN_THREAD: z.stringbool().default(true),
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_API_URL: optional.pipe(z.url().optional()),
  // On connecting to the gateway, answer DMs and mentions sent in the last N minutes while no instance was connected; 0 = off.
  KOBAN_DISCORD_CATCHUP_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  KOBAN_CHANNEL_COURSES: list,
  // Reader languages per channel, first first: slack:C0123=id+en,discord:998877=vi
  KOBAN_CHANNEL_LANGUAGES: list.pipe(z.array(channelLanguagesEntrySchema)),
  KOBAN_COORDINATORS: list.pipe(z.array(coordinatorEntrySchema)),
  // Coordinators by role: a Slack user group id (members via usergroups.users.list) and a Discord role id.
  KOBAN_SLACK_COORDINATOR_GROUP: optional.pipe(
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, { message: 'write the Slack user group id, e.g. S0123ABCD' })
      .optional(),
  ),
  KOBAN_DISCORD_COORDINATOR_ROLE: optional.pipe(
    z
      .string()
      .regex(/^\d{5,25}$/, { message: 'write the Discord role id (a number)' })
      .optional(),
  ),
  KOBAN_COORDINATOR_CHANNELS: list.pipe(
    z.array(
      z.string().regex(/^(slack|discord):\S+$/, {
        message: 'write each channel as slack:CHANNELID or discord:CHANNELID',
      }),
    ),
  ),
  // Hours after which an open hand-off to a person is closed.
  KOBAN_HANDOFF_HOURS: z.coerce.number().positive().max(720).default(24),
  // Rate limits and operations (see .env.example).
  KOBAN_USER_LIMIT: z.coerce.number().int().min(0).default(10),
  KOBAN_USER_LIMIT_SECONDS: z.coerce.number().int().min(1).default(30),
  KOBAN_CHANNEL_LIMIT: z.coerce.number().int().min(0).default(30),
  KOBAN_CHANNEL_LIMIT_SECONDS: z.coerce.number().int().min(1).default(60),
  KOBAN_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KOBAN_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // The web chat (src/adapters/web); off when KOBAN_WEB_PORT is empty.
  KOBAN_WEB_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KOBAN_WEB_PUBLIC_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  KOBAN_WEB_TRUST_PROXY: z.stringbool().default(false),
  KOBAN_WEB_IP_LIMIT: z.coerce.number().int().min(0).default(60),
  KOBAN_WEB_IP_LIMIT_SECONDS: z.coerce.number().int().min(1).default(60),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dbPath: string;
  /** The first release's unanswered-questions log, imported into the database once. */
  unansweredPath: string;
  /** Days unanswered questions are kept (`KOBAN_RETENTION_DAYS`, default 90). */
  retentionDays: number;
  slackEnabled: boolean;
  discordEnabled: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** An empty (or blank) value means "not set" for every setting, as `.env.example` ships them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value.trim() !== '') out[key] = value;
  return out;
}

/** Parses the environment; a bad value throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Env> = {}): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n${lines.join('\n')}\n(see .env.example)`);
  }
  const e = { ...parsed.data, ...overrides };
  return {
    ...e,
    // The role settings join the coordinator list, so every "is this a coordinator?" sees them.
    KOBAN_COORDINATORS: [
      ...e.KOBAN_COORDINATORS,
      ...(e.KOBAN_SLACK_COORDINATOR_GROUP ? [`slack-group:${e.KOBAN_SLACK_COORDINATOR_GROUP}`] : []),
      ...(e.KOBAN_DISCORD_COORDINATOR_ROLE ? [`discord-role:${e.KOBAN_DISCORD_COORDINATOR_ROLE}`] : []),
    ],
    dbPath: e.KOBAN_DB ?? `${e.KOBAN_DATA_DIR}/koban.db`,
    unansweredPath: e.KOBAN_UNANSWERED_LOG ?? `${e.KOBAN_DATA_DIR}/unanswered.jsonl`,
    retentionDays: e.KOBAN_RETENTION_DAYS ?? 90,
    slackEnabled: Boolean(e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET),
    discordEnabled: Boolean(e.DISCORD_TOKEN),
  };
}
