/** Coded start-up errors of the Discord adapter (no discord.js import: the CLI loads this eagerly). */

export type DiscordStartErrorCode =
  | 'DISCORD_TOKEN_MISSING'
  | 'DISCORD_TOKEN_INVALID'
  | 'DISCORD_APPLICATION_ID_MISSING'
  | 'DISCORD_INTENTS_DISALLOWED';

/** A problem the operator must fix before the Discord adapter can start; the message names the setting. */
export class DiscordStartError extends Error {
  constructor(
    readonly code: DiscordStartErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DiscordStartError';
  }
}

export const missingToken = (): DiscordStartError =>
  new DiscordStartError(
    'DISCORD_TOKEN_MISSING',
    'DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (Bot → Reset Token) into .env (see docs/discord.md)',
  );

export const invalidToken = (): DiscordStartError =>
  new DiscordStartError(
    'DISCORD_TOKEN_INVALID',
    'DISCORD_TOKEN was rejected by Discord (401 Unauthorized): reset the bot token in the Developer Portal (Bot → Reset Token) and update .env (see docs/discord.md)',
  );
