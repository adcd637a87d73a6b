/**
 * A loopback Discord for end-to-end tests: REST v10 under `/api/v10` and a Gateway v10 WebSocket.
 * The real discord.js client talks to it (`DISCORD_API_URL` = `apiUrl`; the gateway URL comes from
 * `GET /gateway/bot`). It records every request and frame, keeps just enough state to answer like
 * Discord (sessions, sequence numbers, interactions, commands), and can dispatch MESSAGE_CREATE and
 * INTERACTION_CREATE with the payload shapes of Discord's documentation.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIAllowedMentions,
  APIApplicationCommand,
  APIButtonComponentWithCustomId,
  APIChatInputApplicationCommandInteraction,
  APIEmbed,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentInteraction,
  APIRole,
  APITextChannel,
  APIUser,
  ApplicationFlags,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  MessageFlags,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';

const MESSAGE_CONTENT_INTENT = 1 << 15;
const ALL_PERMISSIONS = '2251799813685247';
const EPOCH = 1_420_070_400_000n;

export interface FakeDiscordOptions {
  token?: string;
  /** HELLO's heartbeat interval in ms (Discord sends about 41 250). */
  heartbeatInterval?: number;
  /** False: IDENTIFY with the MessageContent intent is refused with close code 4014, as for a bot without it. */
  messageContentAllowed?: boolean;
  /** Interaction callbacks later than this are "Unknown interaction" (10062), as on Discord (3 s). */
  interactionCallbackWindowMs?: number;
  /** More text channels in the guild (`courseChannels`), e.g. one per course. Default: none. */
  courseChannels?: number;
  /**
   * How long an idle keep-alive connection stays open (Node's default is 5 s; a client that reuses
   * one just as the server closes it gets "other side closed", which a busy machine makes likely).
   */
  keepAliveTimeoutMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path below `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  /** The JSON body (or `payload_json` of a multipart body). */
  body: unknown;
  files: { name: string; content: string }[];
  authorization: string | undefined;
  status: number;
}

export interface SentMessage {
  via: 'channel' | 'interaction-callback' | 'deferred' | 'followup' | 'edit-original' | 'edit';
  channelId: string;
  interactionId?: string;
  message: APIMessage;
  allowedMentions: APIAllowedMentions | undefined;
  /** The message flags the bot asked for (64 = ephemeral). */
  flags: number;
  files: { name: string; content: string }[];
}

export interface GatewayFrame {
  dir: 'in' | 'out';
  connection: number;
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  events: { op: 0; t: string; s: number; d: unknown }[];
  socket: WebSocket | undefined;
}

interface InteractionState {
  id: string;
  token: string;
  channelId: string;
  createdAt: number;
  acknowledged: boolean;
  ephemeral: boolean;
  original?: APIMessage;
  /** The interaction type (2 command, 3 component, 5 modal submit). */
  type?: number;
  /** A modal submission, which Discord does not let open another modal. */
  fromModal?: boolean;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

type Json = Record<string, unknown>;

export class FakeDiscordServer {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: APIUser;
  readonly guildId: string;
  readonly channels: { general: string; trainees: string };
  /** The guild's further text channels (option `courseChannels`), named course-1, course-2, … */
  readonly courseChannels: string[];
  /** A role of the guild besides @everyone ("coordinators"), for members given it in `sendGuildMessage`. */
  readonly coordinatorRole: string;
  readonly requests: RecordedRequest[] = [];
  readonly sent: SentMessage[] = [];
  readonly frames: GatewayFrame[] = [];
  /** Modals the bot opened (interaction callback type 9), in order. */
  readonly modals: { interactionId: string; data: Json }[] = [];
  /** Registered commands per scope: "global" or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** Called with each message the bot sends as it is recorded (the end-to-end bench times replies with it). */
  onSent: ((sent: SentMessage) => void) | undefined;

  private nextId = 0n;
  private connections = 0;
  private session: Session | undefined;
  private readonly knownChannels = new Set<string>();
  private readonly dmChannels = new Map<string, string>();
  /** The recipient of each DM channel. */
  private readonly dmRecipients = new Map<string, APIUser>();
  /** What users wrote, per channel (the bot's own messages are in `sent`). */
  private readonly written = new Map<string, APIMessage[]>();
  /** Messages the bot sent with `enforce_nonce`, by nonce: a repeat returns the first, as Discord does. */
  private readonly nonces = new Map<string, APIMessage>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly failures: Failure[] = [];
  private readonly slow: { method: string; path: RegExp; ms: number }[] = [];
  private readonly drops: { method: string; path: RegExp }[] = [];
  private readonly sockets = new Map<WebSocket, number>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeDiscordOptions,
  ) {
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = this.snowflake();
    this.bot = user(this.applicationId, 'koban-assistant', { bot: true });
    this.guildId = this.snowflake();
    this.channels = { general: this.snowflake(), trainees: this.snowflake() };
    this.courseChannels = Array.from({ length: options.courseChannels ?? 0 }, () => this.snowflake());
    this.coordinatorRole = this.snowflake();
    for (const id of [...Object.values(this.channels), ...this.courseChannels]) this.knownChannels.add(id);
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
    const server = createServer();
    if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
    const fake = new FakeDiscordServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** The value for `DISCORD_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── test controls ─────────────────────────────────────────────────────────────────────────────

  /** A fresh snowflake, with a plausible timestamp (now, or `at`); increasing for increasing times. */
  snowflake(at?: Date): string {
    this.nextId += 1n;
    return (((BigInt((at ?? new Date()).getTime()) - EPOCH) << 22n) + this.nextId).toString();
  }

  /** Makes the next matching request fail with 429 and `retry_after`, as Discord's rate limiter does. */
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds = 0.2, global = false): void {
    const bucket = bucketHash(path.source);
    this.failures.push({
      method,
      path,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfterSeconds),
        'x-ratelimit-bucket': bucket,
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
    });
  }

  /**
   * Answers every matching request `ms` later than it takes effect (a message is posted at once, its
   * answer delayed), so a client killed meanwhile has posted without knowing it.
   */
  slowDown(method: string, path: RegExp, ms: number): void {
    this.slow.push({ method, path, ms });
  }

  /**
   * The next matching request takes effect (a message is posted), then its connection is cut with no
   * answer: the client sees "other side closed" without knowing the post went through.
   */
  dropAfterNext(method: string, path: RegExp): void {
    this.drops.push({ method, path });
  }

  /** Makes the next matching request fail with a Discord JSON error, e.g. 403 / 50001 Missing Access. */
  failNext(method: string, path: RegExp, status: number, code: number, message: string): void {
    this.failures.push({ method, path, status, body: { message, code }, headers: {} });
  }

  /** True while the client's gateway connection for the current session is open. */
  get connected(): boolean {
    return this.session?.socket?.readyState === 1;
  }

  /** Sends op 7 RECONNECT: the client must reconnect to `resume_gateway_url` and RESUME. */
  requestReconnect(): void {
    const socket = this.session?.socket;
    if (!socket) throw new Error('no connected session');
    this.send(socket, { op: 7, d: null });
  }

  /** Dispatches an event; while the client is away it is kept and replayed on RESUME, as Discord does. */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error('no session: the client has not identified');
    const frame = { op: 0 as const, t, s: ++session.seq, d };
    session.events.push(frame);
    if (session.socket?.readyState === 1) this.send(session.socket, frame);
  }

  /**
   * A user DMs the bot; returns the message as dispatched. `at` backdates it. Before the bot ever
   * identified it is only kept in the channel's history (no gateway delivers it).
   */
  sendDirectMessage(
    author: APIUser,
    content: string,
    options: { at?: Date } = {},
  ): GatewayMessageCreateDispatchData {
    const channelId = this.dmChannelFor(author);
    const message = {
      ...this.message(channelId, author, content, [], options.at),
      channel_type: 1,
    } satisfies GatewayMessageCreateDispatchData;
    this.write(message);
    return message;
  }

  /**
   * A user writes in a server text channel; `mentions` lists the users it mentions (e.g. the bot),
   * `replyTo` the message it answers, `roles` the role ids the author has as a member.
   */
  sendGuildMessage(
    author: APIUser,
    content: string,
    options: { channelId?: string; mentions?: APIUser[]; replyTo?: string; roles?: string[]; at?: Date } = {},
  ): GatewayMessageCreateDispatchData {
    const channelId = options.channelId ?? this.channels.general;
    // A reply to another message carries its message_reference (type 19, as Discord sends it).
    const reply = options.replyTo
      ? {
          type: 19 as const,
          message_reference: {
            type: 0,
            message_id: options.replyTo,
            channel_id: channelId,
            guild_id: this.guildId,
          },
        }
      : {};
    const message = {
      ...this.message(channelId, author, content, options.mentions ?? [], options.at),
      ...reply,
      guild_id: this.guildId,
      member: { ...member(), roles: options.roles ?? [] },
      channel_type: 0,
    } satisfies GatewayMessageCreateDispatchData;
    this.write(message);
    return message;
  }

  /** A user runs a slash command, in a server channel (default) or in a DM with the bot. */
  runSlashCommand(
    by: APIUser,
    name: string,
    options: { name: string; value: string }[] = [],
    where: { locale?: string; dm?: boolean } = {},
  ): InteractionState {
    const state = this.newInteraction(where.dm ? this.dmChannelFor(by) : this.channels.general);
    const payload = {
      ...this.interactionBase(state, by, where),
      type: 2,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        options: options.map((o) => ({ name: o.name, type: 3, value: o.value })),
        ...(where.dm ? {} : { guild_id: this.guildId }),
      },
    } as APIChatInputApplicationCommandInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return state;
  }

  /** A user clicks a button (or picks from a select menu) on a message the bot sent. */
  clickComponent(
    by: APIUser,
    on: APIMessage,
    customId: string,
    where: { locale?: string; values?: string[] } = {},
  ): InteractionState {
    const dm = !this.isGuildChannel(on.channel_id);
    const state = this.newInteraction(on.channel_id);
    const payload = {
      ...this.interactionBase(state, by, { ...where, dm }),
      type: 3,
      message: on,
      data: where.values
        ? { custom_id: customId, component_type: 3, values: where.values }
        : { custom_id: customId, component_type: 2 },
    } as APIMessageComponentInteraction;
    this.dispatch('INTERACTION_CREATE', payload);
    return state;
  }

  /**
   * A user submits a modal the bot opened: `values` per text input custom_id (inputs not given are
   * sent empty, as Discord does for optional fields left blank).
   */
  submitModal(
    by: APIUser,
    modal: { data: Json },
    values: Record<string, string>,
    where: { locale?: string; dm?: boolean } = {},
  ): InteractionState {
    const state = this.newInteraction(where.dm ? this.dmChannelFor(by) : this.channels.general);
    state.type = 5;
    state.fromModal = true;
    const rows = (modal.data.components ?? []) as { components: { custom_id: string }[] }[];
    const payload = {
      ...this.interactionBase(state, by, where),
      type: 5,
      data: {
        custom_id: String(modal.data.custom_id),
        components: rows.map((row) => ({
          type: 1,
          components: row.components.map((input) => ({
            type: 4,
            custom_id: input.custom_id,
            value: values[input.custom_id] ?? '',
          })),
        })),
      },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return state;
  }

  /** Keeps a user's message in its channel's history and delivers it to the bot's session, if any. */
  private write(message: GatewayMessageCreateDispatchData): void {
    const {
      guild_id: _g,
      member: _m,
      channel_type: _t,
      ...stored
    } = message as GatewayMessageCreateDispatchData & {
      channel_type?: number;
    };
    const list = this.written.get(message.channel_id) ?? [];
    list.push(stored);
    this.written.set(message.channel_id, list);
    if (this.session) this.dispatch('MESSAGE_CREATE', message);
  }

  /** The DM channel between the bot and a user (made on first use, as Discord does). */
  dmChannelOf(u: APIUser): string {
    return this.dmChannelFor(u);
  }

  /** Messages the bot sent to a channel or as an interaction response, in order. */
  sentTo(channelId: string): SentMessage[] {
    return this.sent.filter((m) => m.channelId === channelId);
  }

  /** Waits until `probe` returns a value (polling the recorded state), or fails after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The bot's answer to an interaction (not the deferral). */
  answerTo(interactionId: string): Promise<SentMessage> {
    return this.waitFor(
      () => this.sent.find((s) => s.interactionId === interactionId && s.via !== 'deferred'),
      `the answer to interaction ${interactionId}`,
    );
  }

  /** The modal the bot opened in answer to an interaction. */
  modalFor(interactionId: string): Promise<{ interactionId: string; data: Json }> {
    return this.waitFor(
      () => this.modals.find((m) => m.interactionId === interactionId),
      `a modal for interaction ${interactionId}`,
    );
  }

  // ── gateway ──────────────────────────────────────────────────────────────────────────────────

  private onConnection(ws: WebSocket): void {
    const connection = ++this.connections;
    this.sockets.set(ws, connection);
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (this.session?.socket === ws) this.session.socket = undefined;
    });
    ws.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Json | number | null };
      this.frames.push({ dir: 'in', connection, op: payload.op, d: payload.d });
      if (payload.op === 1) this.send(ws, { op: 11 });
      else if (payload.op === 2) this.identify(ws, payload.d as Json);
      else if (payload.op === 6) this.resume(ws, payload.d as Json);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.options.heartbeatInterval ?? 41_250 } });
  }

  private identify(ws: WebSocket, d: Json): void {
    if (d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const intents = Number(d.intents);
    if (intents & MESSAGE_CONTENT_INTENT && this.options.messageContentAllowed === false) {
      ws.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.session = { id: randomBytes(16).toString('hex'), seq: 0, events: [], socket: ws };
    const ready = {
      v: 10,
      user: this.bot,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway-resume`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    } satisfies GatewayReadyDispatchData;
    this.dispatch('READY', ready);
    this.dispatch('GUILD_CREATE', this.guildCreate());
  }

  private resume(ws: WebSocket, d: Json): void {
    const session = this.session;
    if (!session || d.session_id !== session.id || d.token !== this.token) {
      this.send(ws, { op: 9, d: false });
      return;
    }
    session.socket = ws;
    const seq = Number(d.seq);
    for (const event of session.events) if (event.s > seq) this.send(ws, event);
    this.dispatch('RESUMED', {});
  }

  private send(ws: WebSocket, frame: { op: number; t?: string; s?: number; d?: unknown }): void {
    const connection = this.sockets.get(ws) ?? 0;
    this.frames.push({
      dir: 'out',
      connection,
      op: frame.op,
      t: frame.t ?? null,
      s: frame.s ?? null,
      d: frame.d,
    });
    ws.send(JSON.stringify({ t: null, s: null, d: null, ...frame }));
  }

  private guildCreate(): GatewayGuildCreateDispatchData {
    const everyone: APIRole = {
      id: this.guildId,
      name: '@everyone',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: '1071698660929',
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
    const text = (id: string, name: string, position: number): APITextChannel => ({
      id,
      type: 0,
      guild_id: this.guildId,
      name,
      position,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0 as ChannelFlags,
    });
    const botMember: APIGuildMember = { ...member(), user: this.bot };
    return {
      id: this.guildId,
      name: 'NPA International Trainees',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: [everyone, { ...everyone, id: this.coordinatorRole, name: 'coordinators', position: 1 }],
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channels.general,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      region: 'deprecated',
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [botMember],
      channels: [
        text(this.channels.general, 'general', 0),
        text(this.channels.trainees, 'trainees', 1),
        ...this.courseChannels.map((id, i) => text(id, `course-${i + 1}`, i + 2)),
      ],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ── REST ─────────────────────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const { body, files } = await parseBody(raw, req.headers['content-type']);
    const path = url.pathname
      .replace(/^\/api\/v10/, '')
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
    const record: RecordedRequest = {
      method,
      path,
      query: url.searchParams,
      body,
      files,
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(record);
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset': String(Date.now() / 1000 + 1),
        'x-ratelimit-reset-after': '1',
        'x-ratelimit-bucket': bucketHash(`${method}:${path.replace(/\d{5,}|[\w-]{30,}/g, ':id')}`),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };

    if (!url.pathname.startsWith('/api/v10/')) return reply(404, { message: '404: Not Found', code: 0 });
    const failure = this.failures.findIndex((f) => f.method === method && f.path.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      if (f) return reply(f.status, f.body, f.headers);
    }
    // Interaction callbacks and webhooks authenticate with their token in the path, not the header.
    const tokenInPath = /^\/(interactions|webhooks)\//.test(path);
    if (!tokenInPath && req.headers.authorization !== `Bot ${this.token}`) {
      return reply(401, { message: '401: Unauthorized', code: 0 });
    }
    const result = this.route(method, path, url.searchParams, body, files);
    const drop = this.drops.findIndex((d) => d.method === method && d.path.test(path));
    if (drop >= 0) {
      this.drops.splice(drop, 1);
      record.status = -1;
      req.socket.destroy();
      return;
    }
    const wait = this.slow.find((s) => s.method === method && s.path.test(path))?.ms;
    if (wait) await new Promise((r) => setTimeout(r, wait));
    reply(result.status, result.body);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    files: { name: string; content: string }[],
  ): { status: number; body?: unknown } {
    const json = (body ?? {}) as Json;
    const at = (re: RegExp) => re.exec(path) ?? undefined;
    let m: RegExpExecArray | undefined;
    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    if (method === 'GET' && path === '/applications/@me') {
      return {
        status: 200,
        body: { id: this.applicationId, name: 'Koban Assistant', bot: this.bot, flags: 0 },
      };
    }
    m = at(/^\/channels\/(\d+)\/messages$/);
    if (m && method === 'POST') {
      const channelId = m[1] as string;
      if (!this.knownChannels.has(channelId))
        return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      const nonce = json.enforce_nonce === true && json.nonce !== undefined ? String(json.nonce) : undefined;
      const same = nonce === undefined ? undefined : this.nonces.get(nonce);
      if (same) return { status: 200, body: same };
      const message = { ...this.botMessage(channelId, json), ...(nonce === undefined ? {} : { nonce }) };
      if (nonce !== undefined) this.nonces.set(nonce, message);
      this.record('channel', channelId, message, json, files);
      return { status: 200, body: message };
    }
    if (m && method === 'GET') return this.history(m[1] as string, query);
    m = at(/^\/channels\/(\d+)$/);
    if (m && method === 'GET') return this.channel(m[1] as string);
    m = at(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (m && method === 'PATCH') {
      const [channelId, messageId] = [m[1] as string, m[2] as string];
      const base = [...this.sent]
        .reverse()
        .find((x) => x.channelId === channelId && x.message.id === messageId);
      if (!base) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      const message = { ...this.botMessage(channelId, json, base.message), id: messageId };
      this.record('edit', channelId, message, json, files);
      return { status: 200, body: message };
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = user(String(json.recipient_id), `user${String(json.recipient_id).slice(-4)}`);
      const id = this.dmChannelFor(recipient);
      return { status: 200, body: { id, type: 1, recipients: [recipient], last_message_id: null, flags: 0 } };
    }
    m = at(/^\/channels\/(\d+)\/typing$/);
    if (m && method === 'POST') return { status: 204 };
    m = at(/^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (m && method === 'POST') {
      return this.callback(m[1] as string, m[2] as string, json, files, query);
    }
    m = at(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/);
    if (m) {
      const state = this.interactions.get(m[2] as string);
      if (!state?.acknowledged || !state.original)
        return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      if (method === 'GET') return { status: 200, body: state.original };
      if (method === 'PATCH') {
        state.original = { ...this.botMessage(state.channelId, json, state.original), id: state.original.id };
        this.record('edit-original', state.channelId, state.original, json, files, state);
        return { status: 200, body: state.original };
      }
    }
    m = at(/^\/webhooks\/(\d+)\/([^/]+)$/);
    if (m && method === 'POST') {
      const state = this.interactions.get(m[2] as string);
      if (!state?.acknowledged) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      const message = this.botMessage(state.channelId, json);
      this.record('followup', state.channelId, message, json, files, state);
      return { status: 200, body: message };
    }
    m = at(/^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/);
    if (m) {
      if (m[1] !== this.applicationId)
        return { status: 403, body: { message: 'Missing Access', code: 50001 } };
      return this.applicationCommands(method, m[2] ?? 'global', query, body);
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /**
   * GET /channels/{id}/messages: newest first; `after` gives the `limit` oldest messages after that
   * id, `before` the newest before it, neither the newest (limit 1-100, default 50).
   */
  private history(channelId: string, query: URLSearchParams): { status: number; body?: unknown } {
    if (!this.knownChannels.has(channelId))
      return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    // The bot's messages as last edited, and what users wrote.
    const byId = new Map<string, APIMessage>();
    for (const m of this.written.get(channelId) ?? []) byId.set(m.id, m);
    for (const sent of this.sent)
      if (sent.channelId === channelId && (sent.via === 'channel' || sent.via === 'edit'))
        byId.set(sent.message.id, sent.message);
    const oldestFirst = [...byId.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const after = query.get('after');
    const before = query.get('before');
    let page: APIMessage[];
    if (after) page = oldestFirst.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
    else if (before) page = oldestFirst.filter((m) => BigInt(m.id) < BigInt(before)).slice(-limit);
    else page = oldestFirst.slice(-limit);
    return { status: 200, body: page.reverse() };
  }

  /** GET /channels/{id}: a DM channel (type 1) or one of the server's text channels. */
  private channel(channelId: string): { status: number; body?: unknown } {
    const recipient = this.dmRecipients.get(channelId);
    if (recipient)
      return {
        status: 200,
        body: { id: channelId, type: 1, recipients: [recipient], last_message_id: null, flags: 0 },
      };
    const text = this.guildCreate().channels.find((c) => c.id === channelId);
    if (text) return { status: 200, body: text };
    return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
  }

  private callback(
    id: string,
    token: string,
    json: Json,
    files: { name: string; content: string }[],
    query: URLSearchParams,
  ): { status: number; body?: unknown } {
    const state = this.interactions.get(token);
    const window = this.options.interactionCallbackWindowMs ?? 3000;
    if (!state || state.id !== id || Date.now() - state.createdAt > window) {
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    }
    if (state.acknowledged) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    const data = (json.data ?? {}) as Json;
    const type = Number(json.type);
    if (type === 9) {
      if (state.fromModal)
        return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      state.acknowledged = true;
      this.modals.push({ interactionId: state.id, data });
      if (query.get('with_response') !== 'true') return { status: 204 };
      return { status: 200, body: { interaction: { id, type: state.type }, resource: { type } } };
    }
    if (type !== 4 && type !== 5) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    state.acknowledged = true;
    state.ephemeral = (Number(data.flags ?? 0) & 64) === 64;
    state.original = this.botMessage(state.channelId, type === 5 ? { ...data, content: '' } : data);
    this.record(
      type === 4 ? 'interaction-callback' : 'deferred',
      state.channelId,
      state.original,
      data,
      files,
      state,
    );
    if (query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id,
          type: 2,
          response_message_id: state.original.id,
          response_message_loading: type === 5,
          response_message_ephemeral: state.ephemeral,
        },
        resource: { type, message: state.original },
      },
    };
  }

  private applicationCommands(
    method: string,
    scope: string,
    query: URLSearchParams,
    body: unknown,
  ): { status: number; body?: unknown } {
    const current = this.commands.get(scope) ?? [];
    const view = (withLocalizations: boolean) =>
      current.map((c) =>
        withLocalizations ? c : { ...c, name_localizations: undefined, description_localizations: undefined },
      );
    if (method === 'GET') return { status: 200, body: view(query.get('with_localizations') === 'true') };
    if (method === 'PUT') {
      const list = (Array.isArray(body) ? body : []) as Json[];
      const next = list.map((c) => this.storedCommand(c, scope, current));
      this.commands.set(scope, next);
      return { status: 200, body: next };
    }
    return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  }

  private storedCommand(c: Json, scope: string, existing: APIApplicationCommand[]): APIApplicationCommand {
    const same = existing.find((e) => e.name === c.name);
    return {
      id: same?.id ?? this.snowflake(),
      application_id: this.applicationId,
      ...(scope === 'global' ? {} : { guild_id: scope }),
      version: this.snowflake(),
      default_member_permissions: null,
      nsfw: false,
      type: 1,
      ...(c as Partial<APIApplicationCommand>),
      name: String(c.name),
      description: String(c.description),
      name_localizations: (c.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
      description_localizations:
        (c.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
    } as APIApplicationCommand;
  }

  // ── payload builders ─────────────────────────────────────────────────────────────────────────

  private message(
    channelId: string,
    author: APIUser,
    content: string,
    mentions: APIUser[],
    at?: Date,
  ): APIMessage {
    return {
      id: this.snowflake(at),
      type: 0,
      channel_id: channelId,
      author,
      content,
      timestamp: (at ?? new Date()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: /@(everyone|here)/.test(content),
      mentions,
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      flags: 0 as MessageFlags,
      components: [],
    };
  }

  /** The message Discord returns for what the bot sent: a complete object, as discord.js needs. */
  private botMessage(channelId: string, json: Json, base?: APIMessage): APIMessage {
    const ref = json.message_reference as { message_id?: string } | undefined;
    return {
      ...(base ?? this.message(channelId, this.bot, '', [])),
      content: typeof json.content === 'string' ? json.content : (base?.content ?? ''),
      embeds: (json.embeds as APIEmbed[] | undefined) ?? base?.embeds ?? [],
      components: (json.components as APIMessage['components']) ?? base?.components ?? [],
      flags: Number(json.flags ?? base?.flags ?? 0),
      ...(ref?.message_id
        ? { message_reference: { type: 0, message_id: ref.message_id, channel_id: channelId }, type: 19 }
        : {}),
      ...(base ? { edited_timestamp: new Date().toISOString() } : {}),
    };
  }

  private record(
    via: SentMessage['via'],
    channelId: string,
    message: APIMessage,
    json: Json,
    files: { name: string; content: string }[],
    state?: InteractionState,
  ): void {
    const sent: SentMessage = {
      via,
      channelId,
      ...(state ? { interactionId: state.id } : {}),
      message,
      allowedMentions: json.allowed_mentions as APIAllowedMentions | undefined,
      flags: Number(json.flags ?? 0),
      files,
    };
    this.sent.push(sent);
    this.onSent?.(sent);
  }

  private interactionBase(state: InteractionState, by: APIUser, where: { locale?: string; dm?: boolean }) {
    const common = {
      id: state.id,
      application_id: this.applicationId,
      token: state.token,
      version: 1,
      locale: where.locale ?? 'en-US',
      app_permissions: ALL_PERMISSIONS,
      entitlements: [],
      attachment_size_limit: 10_485_760,
      channel_id: state.channelId,
    };
    if (where.dm) {
      return {
        ...common,
        user: by,
        context: 1,
        authorizing_integration_owners: { '0': this.guildId },
        channel: { id: state.channelId, type: 1, recipients: [by], last_message_id: null, flags: 0 },
      };
    }
    const asMember: APIInteractionGuildMember = { ...member(), user: by, permissions: '1071698660929' };
    return {
      ...common,
      guild_id: this.guildId,
      guild: { id: this.guildId, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      member: asMember,
      context: 0,
      authorizing_integration_owners: { '0': this.guildId },
      channel: {
        id: state.channelId,
        type: 0,
        guild_id: this.guildId,
        name: state.channelId === this.channels.general ? 'general' : 'trainees',
        position: 0,
        permission_overwrites: [],
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        parent_id: null,
        flags: 0,
        permissions: '1071698660929',
      },
    };
  }

  private newInteraction(channelId: string): InteractionState {
    const state: InteractionState = {
      id: this.snowflake(),
      token: `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`,
      channelId,
      createdAt: Date.now(),
      acknowledged: false,
      ephemeral: false,
    };
    this.interactions.set(state.token, state);
    return state;
  }

  private commandId(name: string): string {
    for (const list of this.commands.values()) {
      const found = list.find((c) => c.name === name);
      if (found) return found.id;
    }
    return this.snowflake();
  }

  private dmChannelFor(u: APIUser): string {
    let id = this.dmChannels.get(u.id);
    if (!id) {
      id = this.snowflake();
      this.dmChannels.set(u.id, id);
      this.dmRecipients.set(id, u);
      this.knownChannels.add(id);
    }
    return id;
  }

  private isGuildChannel(id: string): boolean {
    return Object.values(this.channels).includes(id) || this.courseChannels.includes(id);
  }
}

/** The buttons of a message, in order. */
export function buttonsOf(sent: SentMessage): APIButtonComponentWithCustomId[] {
  return (sent.message.components ?? [])
    .flatMap((row) => ('components' in row ? (row.components as APIButtonComponentWithCustomId[]) : []))
    .filter((c) => c.type === 2);
}

export type ModalInput = { custom_id: string; label: string; value?: string; required?: boolean };
/** The text inputs of a modal, in order. */
export const modalInputs = (modal: { data: Record<string, unknown> }): ModalInput[] =>
  ((modal.data.components ?? []) as { components: ModalInput[] }[]).flatMap((r) => r.components);

/** A Discord user object (https://discord.com/developers/docs/resources/user#user-object). */
export function user(id: string, username: string, options: { bot?: boolean } = {}): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: options.bot ? null : username,
    avatar: null,
    ...(options.bot ? { bot: true } : {}),
    flags: 0 as UserFlags,
    public_flags: 0 as UserFlags,
  };
}

function member(): Omit<APIGuildMember, 'user'> & { user?: APIUser } {
  return {
    roles: [],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    nick: null,
    avatar: null,
    banner: null,
    premium_since: null,
    pending: false,
  };
}

function bucketHash(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return `fake${(h >>> 0).toString(16)}`;
}

async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: { name: string; content: string }[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: { name: string; content: string }[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') files.push({ name: value.name, content: await value.text() });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
