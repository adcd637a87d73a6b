import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandText } from '../../src/adapters/slack/slack-handlers.js';
import { ROOT } from '../helpers/spawn.js';

interface Manifest {
  features: { slash_commands: { command: string; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const load = (name: string) => parse(readFileSync(join(ROOT, 'slack', name), 'utf8')) as Manifest;

describe('the Slack app manifests', () => {
  it.each(['manifest.yaml', 'manifest-http.yaml'])(
    '%s declares the commands, events and scopes the bot uses',
    (name) => {
      const m = load(name);
      expect(m.features.slash_commands.map((c) => c.command)).toEqual([
        '/koban',
        '/koban-lang',
        '/koban-course',
        '/koban-visit',
        '/koban-announce',
      ]);
      expect(m.settings.event_subscriptions.bot_events).toEqual(
        expect.arrayContaining(['app_mention', 'message.im', 'message.channels']),
      );
      expect(m.oauth_config.scopes.bot).toEqual(
        expect.arrayContaining([
          'app_mentions:read',
          'im:history',
          'im:write',
          'usergroups:read',
          'chat:write',
          'commands',
          'users:read',
        ]),
      );
    },
  );

  it('points every HTTP-mode request at /slack/events, and Socket Mode at none', () => {
    const http = load('manifest-http.yaml');
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.features.slash_commands.every((c) => c.url?.endsWith('/slack/events'))).toBe(true);
    expect(load('manifest.yaml').settings.socket_mode_enabled).toBe(true);
  });

  it('maps each slash command to text the assistant understands', () => {
    expect(commandText('/koban', 'What is a Koban?')).toBe('What is a Koban?');
    expect(commandText('/koban-lang', 'ja')).toBe('/lang ja');
    expect(commandText('/koban-course', '')).toBe('/course');
    expect(commandText('/koban-course', 'JICA-2026')).toBe('/course JICA-2026');
  });
});
