/** The Slack part of the configuration, checked once before anything connects. */
import type { Config } from '../../config.js';
import { SlackSetupError } from './errors.js';

export type SlackMode = 'socket' | 'http';

export interface SlackSettings {
  mode: SlackMode;
  botToken: string;
  /** Socket Mode only. */
  appToken?: string;
  /** HTTP mode only. */
  signingSecret?: string;
  /** HTTP mode only; 0 picks a free port. */
  port: number;
  /** Base URL of the Web API (government/enterprise Slack, a proxy, tests). */
  apiUrl?: string;
  /** Channel ids where the bot also answers questions that do not mention it. */
  listenChannels: ReadonlySet<string>;
  /** Answer channel questions in a thread under them (SLACK_REPLY_IN_THREAD, default true). */
  replyInThread: boolean;
}

/** Reads the SLACK_* settings; a missing or misplaced token throws SlackSetupError naming the variable. */
export function slackSettings(config: Config): SlackSettings {
  const botToken = config.SLACK_BOT_TOKEN;
  if (!botToken) {
    throw new SlackSetupError(
      'SLACK_BOT_TOKEN is not set: the Slack adapter needs the bot token (xoxb-…) from the app\'s "OAuth & Permissions" page (see docs/slack.md)',
      'SLACK_BOT_TOKEN',
    );
  }
  if (botToken.startsWith('xapp-')) {
    throw new SlackSetupError(
      'SLACK_BOT_TOKEN holds an app-level token (xapp-…): use the bot token (xoxb-…) there, and put the app-level token in SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
    );
  }
  const appToken = config.SLACK_APP_TOKEN;
  if (appToken && !appToken.startsWith('xapp-')) {
    throw new SlackSetupError(
      'SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope, from the app\'s "Basic Information" page',
      'SLACK_APP_TOKEN',
    );
  }
  const signingSecret = config.SLACK_SIGNING_SECRET;
  if (!appToken && !signingSecret) {
    throw new SlackSetupError(
      'set SLACK_APP_TOKEN (xapp-…, Socket Mode, no public URL needed) or SLACK_SIGNING_SECRET (HTTP mode behind a load balancer)',
      'SLACK_APP_TOKEN',
    );
  }
  return {
    mode: appToken ? 'socket' : 'http',
    botToken,
    ...(appToken ? { appToken } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    port: config.SLACK_PORT,
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    listenChannels: new Set(config.SLACK_LISTEN_CHANNELS),
    replyInThread: config.SLACK_REPLY_IN_THREAD,
  };
}
