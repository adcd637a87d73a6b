import { describe, expect, it } from 'vitest';
import { SlackSetupError } from '../../src/adapters/slack/errors.js';
import { slackSettings } from '../../src/adapters/slack/settings.js';
import { loadConfig } from '../../src/config.js';
import { APP_TOKEN, BOT_TOKEN } from '../fakes/slack-server.js';
import { koban } from '../helpers/spawn.js';
import { SIGNING_SECRET } from './harness.js';

function setupError(env: Record<string, string>): SlackSetupError {
  try {
    slackSettings(loadConfig(env));
  } catch (err) {
    if (err instanceof SlackSetupError) return err;
    throw err;
  }
  throw new Error('expected a SlackSetupError');
}

describe('Slack settings', () => {
  it('picks Socket Mode with an app token, HTTP mode with only a signing secret', () => {
    expect(slackSettings(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN })).mode).toBe(
      'socket',
    );
    const http = slackSettings(
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    );
    expect(http).toMatchObject({ mode: 'http', port: 3000 });
  });

  it('names SLACK_BOT_TOKEN when it is missing', () => {
    const err = setupError({ SLACK_APP_TOKEN: APP_TOKEN });
    expect(err.variable).toBe('SLACK_BOT_TOKEN');
    expect(err.message).toMatch(/^SLACK_BOT_TOKEN is not set/);
  });

  it('asks for SLACK_APP_TOKEN or SLACK_SIGNING_SECRET when neither is set', () => {
    const err = setupError({ SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(err.message).toContain('SLACK_APP_TOKEN');
    expect(err.message).toContain('SLACK_SIGNING_SECRET');
  });

  it("notices tokens put in each other's place, without printing them", () => {
    const err = setupError({ SLACK_BOT_TOKEN: APP_TOKEN, SLACK_APP_TOKEN: BOT_TOKEN });
    expect(err.variable).toBe('SLACK_BOT_TOKEN');
    expect(err.message).not.toContain(APP_TOKEN);
  });
});

describe('koban start with Slack settings', () => {
  it('prints one clear line naming SLACK_BOT_TOKEN when it is missing, without a stack', async () => {
    const { code, stderr } = await koban(['start'], { env: { SLACK_APP_TOKEN: APP_TOKEN } });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^koban: SLACK_BOT_TOKEN is not set/)]);
  });
});
