/**
 * Payloads in the shapes Slack documents (Events API `event_callback` with `message` and
 * `app_mention`, slash commands, `block_actions`), and signed HTTP requests as Slack sends them.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID } from './slack-server.js';

let counter = 0;
function nextTs(): string {
  counter += 1;
  return `1767139200.${String(counter).padStart(6, '0')}`;
}

export interface Threaded {
  thread_ts?: string;
}

/** The `event_callback` body that wraps every Events API event. */
export function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  counter += 1;
  return {
    token: 'unused-verification-token',
    team_id: TEAM_ID,
    context_team_id: TEAM_ID,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev0KOBAN${String(counter).padStart(4, '0')}`,
    event_time: 1767139200 + counter,
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomUUID()}`,
  };
}

/** A user's message in a direct message with the bot (`message.im`). */
export function directMessage(user: string, text: string, opts: Threaded & { channel?: string } = {}) {
  const ts = nextTs();
  return {
    client_msg_id: randomUUID(),
    type: 'message',
    text,
    user,
    ts,
    team: TEAM_ID,
    channel: opts.channel ?? `D0${user.slice(1)}`,
    event_ts: ts,
    channel_type: 'im',
    ...(opts.thread_ts ? { thread_ts: opts.thread_ts, parent_user_id: user } : {}),
  };
}

/** A user's message in a public channel (`message.channels`). */
export function channelMessage(user: string, channel: string, text: string, opts: Threaded = {}) {
  return { ...directMessage(user, text, { ...opts, channel }), channel_type: 'channel' };
}

/** `@koban …` in a channel (`app_mention`). */
export function appMention(user: string, channel: string, text: string, opts: Threaded = {}) {
  const ts = nextTs();
  return {
    client_msg_id: randomUUID(),
    type: 'app_mention',
    text,
    user,
    ts,
    team: TEAM_ID,
    channel,
    event_ts: ts,
    ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
  };
}

/** The bot's own message, as Slack echoes it back in `message.im`. */
export function botOwnMessage(channel: string, text: string) {
  const ts = nextTs();
  return {
    type: 'message',
    text,
    user: BOT_USER_ID,
    bot_id: BOT_ID,
    app_id: APP_ID,
    ts,
    team: TEAM_ID,
    bot_profile: { id: BOT_ID, app_id: APP_ID, name: 'koban', deleted: false, team_id: TEAM_ID },
    channel,
    event_ts: ts,
    channel_type: 'im',
  };
}

/** Another app's bot posting in a DM-like conversation. */
export function otherBotMessage(channel: string, text: string) {
  const ts = nextTs();
  return {
    type: 'message',
    subtype: 'bot_message',
    text,
    bot_id: 'B0OTHER01',
    ts,
    channel,
    event_ts: ts,
    channel_type: 'im',
  };
}

/** A user editing an earlier message (`message_changed`). */
export function editedMessage(user: string, channel: string, text: string) {
  const ts = nextTs();
  const original = nextTs();
  return {
    type: 'message',
    subtype: 'message_changed',
    message: { type: 'message', user, text, edited: { user, ts }, ts: original },
    previous_message: { type: 'message', user, text: 'old', ts: original },
    channel,
    hidden: true,
    ts,
    event_ts: ts,
    channel_type: 'im',
  };
}

/** A user deleting a message (`message_deleted`). */
export function deletedMessage(channel: string) {
  const ts = nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    deleted_ts: nextTs(),
    channel,
    ts,
    event_ts: ts,
    channel_type: 'im',
  };
}

/** A slash command invocation (HTTP: url-encoded form; Socket Mode: the envelope payload). */
export function slashCommand(
  command: string,
  text: string,
  opts: { user: string; channel: string; responseUrl: string },
) {
  return {
    token: 'unused-verification-token',
    team_id: TEAM_ID,
    team_domain: 'koban-test',
    channel_id: opts.channel,
    channel_name: 'training',
    user_id: opts.user,
    user_name: opts.user.toLowerCase(),
    command,
    text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: opts.responseUrl,
    trigger_id: `${counter}.1111.abcdef`,
  };
}

export interface ClickOptions {
  user: string;
  channel: string;
  /** The clicked button (taken from blocks the bot posted). */
  button: { action_id: string; value: string; text?: { text: string } };
  responseUrl: string;
  /** The message the button is on; absent for ephemeral messages. */
  message?: { ts: string; thread_ts?: string };
  ephemeral?: boolean;
}

/** A button click (`block_actions`). */
export function blockActions(opts: ClickOptions) {
  const messageTs = opts.message?.ts ?? nextTs();
  return {
    type: 'block_actions',
    user: {
      id: opts.user,
      username: opts.user.toLowerCase(),
      name: opts.user.toLowerCase(),
      team_id: TEAM_ID,
    },
    api_app_id: APP_ID,
    token: 'unused-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: opts.channel,
      is_ephemeral: opts.ephemeral === true,
      ...(opts.message?.thread_ts ? { thread_ts: opts.message.thread_ts } : {}),
    },
    trigger_id: `${counter}.2222.abcdef`,
    team: { id: TEAM_ID, domain: 'koban-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: opts.channel, name: 'training' },
    ...(opts.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: BOT_USER_ID,
            bot_id: BOT_ID,
            ts: messageTs,
            text: 'answer',
            ...(opts.message?.thread_ts ? { thread_ts: opts.message.thread_ts } : {}),
          },
        }),
    state: { values: {} },
    response_url: opts.responseUrl,
    actions: [
      {
        action_id: opts.button.action_id,
        block_id: 'koban-block',
        text: { type: 'plain_text', text: opts.button.text?.text ?? 'button', emoji: true },
        value: opts.button.value,
        type: 'button',
        action_ts: nextTs(),
      },
    ],
  };
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Sign with this secret instead (a wrong secret). */
  signWith?: string;
  /** Replace the signature altogether. */
  signature?: string;
}

/** The body Slack POSTs for each kind of payload, with its content type. */
export function httpBody(
  kind: 'event' | 'command' | 'action',
  payload: object,
): { body: string; contentType: string } {
  if (kind === 'event') return { body: JSON.stringify(payload), contentType: 'application/json' };
  if (kind === 'command') {
    const form = new URLSearchParams(
      Object.entries(payload).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}

/** POSTs a payload to the bot's HTTP endpoint the way Slack does, signed. */
export async function postSigned(
  url: string,
  kind: 'event' | 'command' | 'action',
  payload: object,
  opts: SignedOptions,
): Promise<{ status: number; text: string }> {
  const { body, contentType } = httpBody(kind, payload);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? sign(opts.signWith ?? opts.secret, timestamp, body);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** What a user entered in one modal input: text, one radio option, or checked boxes. */
export type ModalInput = string | { option: string } | { options: string[] };

/**
 * A `view_submission`: the user pressed the modal's submit button. `view` is the view the bot
 * opened (from its `views.open` call); `inputs` are keyed by block id.
 */
export function viewSubmission(
  user: string,
  view: Record<string, unknown>,
  inputs: Record<string, ModalInput>,
) {
  const values: Record<string, Record<string, unknown>> = {};
  const blocks = (view.blocks ?? []) as Array<{
    block_id: string;
    element: { type: string; action_id: string };
  }>;
  for (const block of blocks) {
    const input = inputs[block.block_id];
    const { type, action_id } = block.element;
    let value: Record<string, unknown>;
    if (type === 'checkboxes') {
      const picked = typeof input === 'object' && 'options' in input ? input.options : [];
      value = {
        type,
        selected_options: picked.map((v) => ({ value: v, text: { type: 'plain_text', text: v } })),
      };
    } else if (type === 'radio_buttons') {
      const picked = typeof input === 'object' && 'option' in input ? input.option : undefined;
      value = {
        type,
        selected_option: picked ? { value: picked, text: { type: 'plain_text', text: picked } } : null,
      };
    } else value = { type, value: typeof input === 'string' ? input : null };
    values[block.block_id] = { [action_id]: value };
  }
  counter += 1;
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'koban-test' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'unused-verification-token',
    trigger_id: `${counter}.3333.abcdef`,
    view: {
      id: 'V0KOBAN01',
      team_id: TEAM_ID,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? '',
      blocks: view.blocks,
      state: { values },
      hash: `${counter}.hash`,
      app_id: APP_ID,
      bot_id: BOT_ID,
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}
