/** The discord.js client as this bot needs it: intents, DM partials, mentions off, optional API URL. */
import { Client, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import type { KeepAliveFetch } from '../keep-alive-http.js';
import { NO_MENTIONS } from './interactions.js';

export interface ClientSettings {
  /** `DISCORD_API_URL`: the REST base (without `/v10`); the gateway URL then comes from its `/gateway/bot`. */
  apiUrl?: string;
  /** The privileged MessageContent intent; without it mentions, DMs and slash commands still work. */
  messageContent: boolean;
  /**
   * The REST calls' HTTP (`../keep-alive-http.ts`: kept-alive node:http, a third of the CPU of
   * undici's `request` per call); discord.js's own when absent.
   */
  fetch?: KeepAliveFetch;
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
    rest: {
      ...(settings.apiUrl ? { api: settings.apiUrl } : {}),
      ...(settings.fetch ? { makeRequest: restRequest(settings.fetch) } : {}),
    },
  });
}

/** discord.js's `makeRequest` over our fetch (its response has every field discord.js reads). */
function restRequest(fetchFn: KeepAliveFetch): RESTOptions['makeRequest'] {
  // The init is undici's RequestInit: the global one's fields, typed by a second copy of undici's types.
  return (url, init) => fetchFn(url, init as unknown as RequestInit);
}
