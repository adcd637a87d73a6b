/** The discord.js client as this bot needs it: intents, DM partials, mentions off, optional API URL. */
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import { NO_MENTIONS } from './interactions.js';

export interface ClientSettings {
  /** `DISCORD_API_URL`: the REST base (without `/v10`); the gateway URL then comes from its `/gateway/bot`. */
  apiUrl?: string;
  /** The privileged MessageContent intent; without it mentions, DMs and slash commands still work. */
  messageContent: boolean;
}

export function createClient(settings: ClientSettings): Client {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  if (settings.messageContent) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    // DM channels are not cached before their first message; Partials.Channel lets those messages through.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    ...(settings.apiUrl ? { rest: { api: settings.apiUrl } } : {}),
  });
}
