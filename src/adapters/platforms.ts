/** The platform adapters (Slack, Discord) that the configuration enables. */
import type { Adapter } from '../core/adapter.js';
import type { Runtime } from '../main.js';

export async function platformAdapters(runtime: Runtime): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  const { config } = runtime;
  if (config.slackEnabled) {
    const { createSlackAdapter } = await import('./slack/slack-adapter.js');
    adapters.push(createSlackAdapter(runtime));
  }
  if (config.discordEnabled) {
    const { createDiscordAdapter } = await import('./discord/discord-adapter.js');
    adapters.push(createDiscordAdapter(runtime));
  }
  return adapters;
}
