/**
 * A small fake of Slack on loopback, for end-to-end tests of the real Bolt app: the Web API methods
 * the bot calls (each call recorded), response_url and file-upload endpoints, and a Socket Mode
 * WebSocket endpoint that says `hello`, sends envelopes and records the acks.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export const BOT_TOKEN = 'xoxb-1111-2222-koban-test-bot-token';
export const APP_TOKEN = 'xapp-1-A0KOBAN01-3333-koban-test-app-token';
export const TEAM_ID = 'T0KOBAN01';
export const APP_ID = 'A0KOBAN01';
export const BOT_USER_ID = 'U0KOBANBOT';
export const BOT_ID = 'B0KOBANBOT';

/** One Web API call as the fake received it. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token sent, if any. */
  token: string | undefined;
  /** The HTTP status the fake answered with. */
  status: number;
  /** Slack's `ok` in the answer. */
  ok: boolean;
  /** Order among all calls and acks the fake received. */
  seq: number;
}

export interface Envelope {
  envelope_id: string;
  type: 'events_api' | 'slash_commands' | 'interactive';
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: unknown;
  /** Order among all calls and acks the fake received. */
  seq: number;
  /** When the fake received it (`performance.now()`): the end-to-end bench times acks with it. */
  at: number;
}

/** What the fake answers to the next call of a method instead of success. */
export type Failure = { error: string } | { status: 429; retryAfter: number };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The web client sends url-encoded forms whose object values (blocks) are JSON strings. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  if (contentType?.includes('multipart/form-data')) return { multipart: true, length: body.length };
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (/^[[{]/.test(value)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    args[key] = value;
  }
  return args;
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export class FakeSlackServer {
  /** Every Web API call, in order. */
  readonly calls: ApiCall[] = [];
  /** Every Socket Mode ack, in order. */
  readonly acks: Ack[] = [];
  /** Bodies posted to response URLs (`/response/<id>`). */
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  /** File contents posted to upload URLs. */
  readonly uploads: { fileId: string; length: number }[] = [];
  /** Slack locale per user id, for `users.info`; unknown users get en-US. */
  readonly locales = new Map<string, string>();
  /** Slack user groups (`usergroups.users.list`): group id → member user ids. */
  readonly userGroups = new Map<string, string[]>();
  /** Socket Mode connections made so far (each got a `hello`). */
  connections = 0;
  /** The bot token the fake accepts; anything else gets invalid_auth. */
  botToken = BOT_TOKEN;
  /** Called with each Web API call as it is recorded (the end-to-end bench times replies with it). */
  onCall: ((call: ApiCall) => void) | undefined;
  appToken = APP_TOKEN;

  /** What the bot posted per channel (as last updated), oldest first: `conversations.history`. */
  readonly history = new Map<
    string,
    { ts: string; text: unknown; blocks: unknown; [key: string]: unknown }[]
  >();

  private readonly failures = new Map<string, Failure[]>();
  /** Methods answered only this many ms after the call was recorded (a slow Slack). */
  private readonly slow = new Map<string, number>();
  /** Methods whose next call is never answered (a hanging Slack). */
  private readonly hangs = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private current: WebSocket | undefined;
  private tsCounter = 0;
  private seq = 0;
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeSlackServer> {
    let fake: FakeSlackServer | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res).catch((err: unknown) => json(res, 500, { ok: false, error: String(err) }));
    });
    fake = new FakeSlackServer(server);
    server.on('upgrade', (req, socket, head) => fake?.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What SLACK_API_URL is set to. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string = randomUUID()): string {
    return `${this.baseUrl}/response/${id}`;
  }

  /** Makes the next call of `method` hang: it is recorded with status 0 and never answered. */
  hangNext(method: string): void {
    this.hangs.add(method);
  }

  /**
   * Answers every call of `method` `ms` later than it takes effect (a message is posted at once, its
   * answer delayed), so a client killed meanwhile has posted without knowing it. 0 ends it.
   */
  slowDown(method: string, ms: number): void {
    if (ms > 0) this.slow.set(method, ms);
    else this.slow.delete(method);
  }

  /** Makes the next call of `method` fail (queued: call again for several failures). */
  failNext(method: string, failure: Failure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Calls of one method; `ok` only the successful ones. */
  callsTo(method: string, options: { ok?: boolean } = {}): ApiCall[] {
    return this.calls.filter((c) => c.method === method && (options.ok === undefined || c.ok === options.ok));
  }

  /** Calls that post something a user sees. */
  posts(): ApiCall[] {
    return this.calls.filter((c) => c.ok && /^chat\.(postMessage|postEphemeral|update)$/.test(c.method));
  }

  /** Resolves when `condition` holds, polling; rejects after `timeoutMs`. */
  async until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Sends one Socket Mode envelope on the newest connection and resolves with its ack. */
  async send(type: Envelope['type'], payload: unknown): Promise<Ack> {
    const socket = this.current;
    if (!socket || socket.readyState !== socket.OPEN)
      throw new Error('fake Slack: no Socket Mode connection');
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    socket.send(JSON.stringify(envelope));
    let ack: Ack | undefined;
    await this.until(() => {
      ack = this.acks.find((a) => a.envelope_id === envelope.envelope_id);
      return ack !== undefined;
    }, `the ack of a ${type} envelope`);
    return ack as Ack;
  }

  /** Open Socket Mode connections, oldest first (several instances of the bot each hold one). */
  openConnections(): WebSocket[] {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN);
  }

  /**
   * Sends one events_api envelope on the open connection `connection` (index into
   * `openConnections()`, wrapping) without waiting for the ack, as Slack spreads events over an
   * app's connections; `retryAttempt` > 0 sends it again as Slack's retry of the same event id.
   */
  spread(payload: unknown, connection: number, retryAttempt = 0): string {
    const open = this.openConnections();
    const socket = open[connection % Math.max(1, open.length)];
    if (!socket) throw new Error('fake Slack: no Socket Mode connection');
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt > 0 ? 'timeout' : '',
    };
    socket.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  }

  /** Asks the client to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(reason = 'refresh_requested'): void {
    this.current?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1767225600.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(body || '{}') });
      return json(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/upload/')) {
      this.uploads.push({ fileId: url.pathname.slice('/upload/'.length), length: body.length });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(`OK - ${body.length}`);
    }
    if (!url.pathname.startsWith('/api/')) return json(res, 404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(body, req.headers['content-type']);
    const token =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args.token as string | undefined);
    const record = (status: number, answer: Record<string, unknown>, headers?: Record<string, string>) => {
      this.seq += 1;
      const call = { method, args, token, status, ok: answer.ok === true, seq: this.seq };
      this.calls.push(call);
      this.onCall?.(call);
      const wait = this.slow.get(method);
      if (wait) setTimeout(() => json(res, status, answer, headers), wait);
      else json(res, status, answer, headers);
    };

    if (this.hangs.delete(method)) {
      this.seq += 1;
      this.calls.push({ method, args, token, status: 0, ok: false, seq: this.seq });
      return;
    }
    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      return record(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
    }
    if (failure) return record(200, { ok: false, error: failure.error });

    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return record(200, { ok: false, error: 'invalid_auth' });
      return record(200, {
        ok: true,
        url: `ws://127.0.0.1:${this.port}/link/?ticket=${randomUUID()}&app_id=${APP_ID}`,
      });
    }
    if (token !== this.botToken) return record(200, { ok: false, error: 'invalid_auth' });

    switch (method) {
      case 'auth.test':
        return record(200, {
          ok: true,
          url: 'https://koban-test.slack.com/',
          team: 'Koban Test',
          user: 'koban',
          team_id: TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          is_enterprise_install: false,
        });
      case 'chat.postMessage':
      case 'chat.update': {
        const ts = method === 'chat.update' ? String(args.ts) : this.nextTs();
        const channel = String(args.channel);
        const history = this.history.get(channel) ?? [];
        const posted = {
          type: 'message',
          text: args.text,
          blocks: args.blocks,
          bot_id: BOT_ID,
          user: BOT_USER_ID,
          ts,
        };
        const at = history.findIndex((m) => m.ts === ts);
        if (method === 'chat.update' && at < 0) return record(200, { ok: false, error: 'message_not_found' });
        if (at >= 0) history[at] = posted;
        else history.push(posted);
        this.history.set(channel, history);
        return record(200, {
          ok: true,
          channel: args.channel,
          ts,
          message: { type: 'message', text: args.text, bot_id: BOT_ID, user: BOT_USER_ID, ts },
        });
      }
      case 'conversations.history': {
        const messages = [...(this.history.get(String(args.channel)) ?? [])].reverse();
        return record(200, {
          ok: true,
          messages: messages.slice(0, Number(args.limit ?? 100)),
          has_more: false,
        });
      }
      case 'chat.postEphemeral':
        return record(200, { ok: true, message_ts: this.nextTs() });
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0] ?? '';
        return record(200, { ok: true, channel: { id: `D${user.slice(1)}` } });
      }
      case 'views.open':
        return record(200, { ok: true, view: { id: 'V0KOBAN01', type: 'modal' } });
      case 'users.info': {
        const user = String(args.user);
        const locale = args.include_locale ? { locale: this.locales.get(user) ?? 'en-US' } : {};
        return record(200, {
          ok: true,
          user: {
            id: user,
            team_id: TEAM_ID,
            name: user.toLowerCase(),
            is_bot: false,
            tz: 'Asia/Tokyo',
            ...locale,
          },
        });
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${this.tsCounter + 1}KOBAN`;
        return record(200, { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId });
      }
      case 'usergroups.users.list': {
        const members = this.userGroups.get(String(args.usergroup));
        if (!members) return record(200, { ok: false, error: 'no_such_subteam' });
        return record(200, { ok: true, users: members });
      }
      case 'files.completeUploadExternal':
        return record(200, { ok: true, files: args.files });
      default:
        return record(200, { ok: false, error: 'unknown_method' });
    }
  }

  private upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    if (!req.url?.startsWith('/link/')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      this.current = ws;
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const at = performance.now();
        const message = JSON.parse(String(data)) as Omit<Ack, 'seq' | 'at'>;
        if (typeof message.envelope_id === 'string') {
          this.seq += 1;
          this.acks.push({ ...message, seq: this.seq, at });
        }
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: APP_ID },
        }),
      );
      this.connections += 1;
    });
  }
}
