/** The platform adapters (Slack, Discord, the web chat) that the configuration enables. */
import type { Adapter } from '../core/adapter.js';
import type { Runtime } from '../main.js';
import type { HttpServer } from '../server/http.js';

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
    adapters.push(createDiscordAdapter(runtime));
  }
  if (config.KOBAN_WEB_PORT !== undefined) {
    const { WebAdapter } = await import('./web/web-adapter.js');
    adapters.push(new WebAdapter(runtime, { http }));
  }
  return adapters;
}
