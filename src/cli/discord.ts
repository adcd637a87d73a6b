/** `koban discord register-commands [--guild ID]`: registers the slash commands, idempotently. */
import { REST, Routes } from 'discord.js';
import { z } from 'zod';
import { isTokenRejection } from '../adapters/discord/api-errors.js';
import { commandDefinitions } from '../adapters/discord/commands.js';
import { DiscordStartError, invalidToken, missingToken } from '../adapters/discord/errors.js';
import { registerCommands } from '../adapters/discord/register-commands.js';
import type { Config } from '../config.js';
import { I18nService } from '../i18n/i18n.js';
import { parse, UsageError } from './args.js';

const snowflake = z.string().regex(/^\d{17,20}$/);
const applicationSchema = z.looseObject({ id: snowflake });

export async function discordCli(argv: string[], config: Config, out: (s: string) => void): Promise<number> {
  const [sub, ...more] = argv;
  if (sub !== 'register-commands') throw new UsageError('discord takes "register-commands"');
  const { values } = parse(more, { guild: { type: 'string' } });
  if (values.guild !== undefined && !snowflake.safeParse(values.guild).success) {
    throw new UsageError(`--guild must be a server ID (17 to 20 digits), got "${values.guild}"`);
  }
  const token = config.DISCORD_TOKEN;
  if (!token) throw missingToken();
  const rest = new REST({
    version: '10',
    ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
  }).setToken(token);
  try {
    const applicationId = config.DISCORD_APPLICATION_ID ?? (await currentApplicationId(rest));
    const result = await registerCommands({
      rest,
      applicationId,
      ...(values.guild ? { guildId: values.guild } : {}),
      commands: commandDefinitions(new I18nService()),
    });
    const where = values.guild ? `server ${values.guild}` : 'all servers (global)';
    out(
      result.changed
        ? `registered ${result.count} commands for ${where}`
        : `${result.count} commands already up to date for ${where}; nothing changed`,
    );
    return 0;
  } catch (err) {
    if (isTokenRejection(err)) throw invalidToken();
    throw err;
  }
}

async function currentApplicationId(rest: REST): Promise<string> {
  const parsed = applicationSchema.safeParse(await rest.get(Routes.currentApplication()));
  if (!parsed.success) {
    throw new DiscordStartError(
      'DISCORD_APPLICATION_ID_MISSING',
      'DISCORD_APPLICATION_ID is not set and Discord did not say which application the token belongs to: copy the Application ID from the Developer Portal (General Information) into .env',
    );
  }
  return parsed.data.id;
}
