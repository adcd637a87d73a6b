import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, DISCORD_LOCALES } from '../../src/adapters/discord/commands.js';
import { discordCli } from '../../src/cli/discord.js';
import { loadConfig } from '../../src/config.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { FakeDiscordServer } from '../fakes/discord-server.js';

describe('koban discord register-commands', () => {
  let fake: FakeDiscordServer;
  beforeAll(async () => {
    fake = await FakeDiscordServer.start();
  });
  afterAll(async () => {
    await fake?.close();
  });

  const run = async (args: string[], env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const config = loadConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_APPLICATION_ID: fake.applicationId,
      ...env,
    });
    const code = await discordCli(['register-commands', ...args], config, (l) => lines.push(l));
    return { code, output: lines.join('\n') };
  };
  const puts = () => fake.requests.filter((r) => r.method === 'PUT');

  it('registers one set of localized commands, and changes nothing the second time', async () => {
    const first = await run([]);
    expect(first).toMatchObject({ code: 0, output: 'registered 5 commands for all servers (global)' });
    const second = await run([]);
    expect(second.output).toContain('already up to date');
    expect(puts()).toHaveLength(1);

    const registered = fake.commands.get('global') ?? [];
    expect(registered.map((c) => c.name).sort()).toEqual(['announce', 'ask', 'course', 'language', 'visit']);
    const ask = registered.find((c) => c.name === 'ask');
    expect(Object.keys(ask?.name_localizations ?? {}).sort()).toEqual(['id', 'ja', 'th', 'tr', 'vi']);
    expect(ask?.name_localizations).toMatchObject({
      ja: '質問',
      th: 'ถาม',
      vi: 'hỏi',
      tr: 'sor',
      id: 'tanya',
    });
    expect(ask?.description_localizations?.th).toBe('ถามคำถามกับผู้ช่วย Koban');
    const gets = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/commands'));
    expect(gets.every((r) => r.query.get('with_localizations') === 'true')).toBe(true);
  });

  it('registers in one server with --guild, separately from the global set', async () => {
    const before = puts().length;
    await run(['--guild', fake.guildId]);
    await run(['--guild', fake.guildId]);
    expect(puts()).toHaveLength(before + 1);
    expect(fake.commands.get(fake.guildId)).toHaveLength(5);
    expect(fake.commands.get('global')).toHaveLength(5);
  });

  it('finds the application id from the token when DISCORD_APPLICATION_ID is not set', async () => {
    const { output } = await run([], { DISCORD_APPLICATION_ID: '' });
    expect(output).toContain('already up to date');
  });

  it('names DISCORD_TOKEN when Discord rejects it', async () => {
    await expect(run([], { DISCORD_TOKEN: 'wrong' })).rejects.toMatchObject({
      code: 'DISCORD_TOKEN_INVALID',
      message: expect.stringContaining('DISCORD_TOKEN'),
    });
  });

  it('gives every command a valid localized name in each Discord locale the assistant speaks', () => {
    const commands = commandDefinitions(new I18nService());
    for (const command of commands) {
      for (const locale of Object.values(DISCORD_LOCALES)) {
        expect(command.name_localizations?.[locale], `${command.name} in ${locale}`).toMatch(
          /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u,
        );
        expect(command.description_localizations?.[locale]?.length).toBeGreaterThan(0);
      }
    }
  });
});
