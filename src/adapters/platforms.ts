/** The platform adapters (Slack, Discord, the web chat) that the configuration enables. */
import type { Adapter } from '../core/adapter.js';
import { postgresSettings, type Runtime } from '../main.js';
import type { HttpServer } from '../server/http.js';
import { AdvisoryGatewayLock, lockKey } from '../stores/gateway-lock.js';
import { LeaderAdapter } from './leader-adapter.js';

/** `http`: the bot's shared HTTP server (KOBAN_HTTP_PORT), where Slack's HTTP mode adds its route and the web chat joins it on the same port. */
export async function platformAdapters(runtime: Runtime, http?: HttpServer): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  const { config } = runtime;
  if (config.slackEnabled) {
    const { createSlackAdapter } = await import('./slack/slack-adapter.js');
    adapters.push(createSlackAdapter(runtime, http));
  }
  if (config.discordEnabled) {
    const { createDiscordAdapter } = await import('./discord/discord-adapter.js');
    adapters.push(oneGateway(runtime, createDiscordAdapter(runtime)));
  }
  if (config.KOBAN_WEB_PORT !== undefined) {
    const { WebAdapter } = await import('./web/web-adapter.js');
    adapters.push(new WebAdapter(runtime, { http }));
  }
  return adapters;
}

/**
 * On PostgreSQL, several instances may run: the Discord gateway connects on the one holding the
 * advisory lock of this bot. On SQLite the single process runs it directly.
 */
function oneGateway(runtime: Runtime, discord: Adapter): Adapter {
  const settings = postgresSettings(runtime.config);
  const identity = runtime.config.DISCORD_APPLICATION_ID ?? runtime.config.DISCORD_TOKEN;
  if (!settings || !identity) return discord;
  const lock = new AdvisoryGatewayLock(settings, lockKey(identity), {
    // How often a standby tries to take the gateway: the holder's death is noticed within this.
    pollMs: runtime.config.KOBAN_GATEWAY_POLL_MS,
    logger: runtime.logger,
  });
  return new LeaderAdapter(discord, lock, runtime.logger);
}
