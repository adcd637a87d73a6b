/**
 * The Slack adapter's lifecycle on Bolt: Socket Mode when SLACK_APP_TOKEN is set (no public URL),
 * otherwise HTTP mode: a route on the bot's shared HTTP server (KOBAN_HTTP_PORT), or on a server of
 * its own on SLACK_PORT, with signature and request-age checks (`http-receiver.ts`). Listeners only
 * acknowledge and hand over to `SlackHandlers`.
 */
import { App, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Adapter, StopOptions } from '../../core/adapter.js';
import { settlesWithin } from '../../core/within.js';
import { TurnGate } from '../../limits/turn-gate.js';
import type { Runtime } from '../../main.js';
import { HttpServer } from '../../server/http.js';
import { ANNOUNCE_CALLBACK_ID } from './announce-modal.js';
import { ACTION_PREFIX } from './block-kit.js';
import { boltLogger } from './bolt-logger.js';
import { Delivery } from './delivery.js';
import { AUTH_ERRORS, SlackSetupError, slackErrorCode } from './errors.js';
import { HonoSlackReceiver } from './http-receiver.js';
import { type KeepAliveFetch, keepAliveFetch } from './keep-alive-fetch.js';
import { SlackSender } from './sender.js';
import { type SlackSettings, slackSettings } from './settings.js';
import { SlackHandlers, type ViewOutcome } from './slack-handlers.js';
import { SlackUserGroups } from './user-groups.js';
import { UserLocales } from './user-locale.js';
import { DECISION_CALLBACK_ID, VISIT_CALLBACK_ID } from './visit-modal.js';

/** Path of the Events API, interactivity and slash commands in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Bounded retries: the web client's default retries for about 30 minutes, far past anyone waiting
 * for an answer. This gives up after three retries and a few seconds of back-off (plus any
 * Retry-After Slack asks for).
 */
export const RETRY_CONFIG: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 4000,
  randomize: true,
};

/** Per-request time limit for Web API calls. */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The Web API client's options: bounded retries and `fetch` (kept-alive node:http, which also
 * holds the time limit: the client's own `timeout` would make an `AbortSignal.timeout` per call).
 */
export function slackClientOptions(options: { fetch: KeepAliveFetch; apiUrl?: string | undefined }) {
  return {
    retryConfig: RETRY_CONFIG,
    timeout: 0,
    fetch: options.fetch,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  } satisfies webApi.WebClientOptions;
}

function eventId(body: unknown): string | undefined {
  const id = (body as { event_id?: unknown } | undefined)?.event_id;
  return typeof id === 'string' ? id : undefined;
}

/** The Slack adapter: start() connects (and checks the tokens with Slack), stop() disconnects. */
export class SlackAdapter implements Adapter {
  readonly name = 'slack';
  private app: App | undefined;
  private socketReceiver: SocketModeReceiver | undefined;
  private httpReceiver: HonoSlackReceiver | undefined;
  /** HTTP mode without a shared server: the adapter's own, on SLACK_PORT. */
  private ownServer: HttpServer | undefined;
  private readonly inflight = new Set<Promise<void>>();
  /** Messages answered at once (`src/limits/turn-gate.ts`). */
  private readonly gate = new TurnGate();
  private readonly handlers: SlackHandlers;
  private readonly delivery: Delivery;
  private unregisterSender: (() => void) | undefined;
  /** The Web API client's HTTP: kept-alive connections through node:http (`keep-alive-fetch.ts`). */
  private readonly fetch = keepAliveFetch({ timeoutMs: REQUEST_TIMEOUT_MS });

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: SlackSettings,
    /** The bot's shared HTTP server, for HTTP mode (KOBAN_HTTP_PORT). */
    private readonly http?: HttpServer,
  ) {
    this.delivery = new Delivery(runtime.logger, runtime.i18n, { metrics: runtime.metrics });
    this.handlers = new SlackHandlers({
      runtime,
      settings,
      delivery: this.delivery,
      locales: new UserLocales(runtime.logger),
      userGroups: new SlackUserGroups(runtime.visits.coordinators.groupIds('slack'), runtime.logger),
    });
  }

  /** "socket" or "http", from the settings. */
  get mode(): SlackSettings['mode'] {
    return this.settings.mode;
  }

  /** HTTP mode: the port Slack's requests arrive on, once started (useful with SLACK_PORT=0). */
  get port(): number | undefined {
    return (this.http ?? this.ownServer)?.port;
  }

  connected(): boolean {
    if (!this.app) return false;
    return this.socketReceiver ? (this.socketReceiver.client.websocket?.isActive() ?? false) : true;
  }

  async start(): Promise<void> {
    if (this.app) return;
    const app = this.createApp();
    try {
      await app.init();
    } catch (err) {
      throw this.setupError(err, 'SLACK_BOT_TOKEN', 'auth.test');
    }
    this.register(app);
    try {
      await app.start();
      if (this.httpReceiver) {
        const server = this.http ?? new HttpServer(this.runtime.logger);
        this.httpReceiver.mount(server.app);
        if (!this.http) {
          this.ownServer = server;
          await server.listen(this.settings.port);
        }
      }
    } catch (err) {
      await Promise.resolve(app.stop()).catch(() => undefined);
      if (this.settings.mode === 'socket')
        throw this.setupError(err, 'SLACK_APP_TOKEN', 'apps.connections.open');
      throw new SlackSetupError(
        `cannot listen for Slack requests on port ${this.settings.port}: ${err instanceof Error ? err.message : String(err)}`,
        'SLACK_PORT',
      );
    }
    this.app = app;
    const sender = new SlackSender(app.client, this.delivery, this.runtime.i18n);
    const unregister = [this.runtime.visitNotices.register(sender), this.runtime.senders.register(sender)];
    this.unregisterSender = () => {
      for (const u of unregister) u();
    };
    this.runtime.logger.info(
      {
        mode: this.settings.mode,
        ...(this.port !== undefined ? { port: this.port, path: SLACK_EVENTS_PATH } : {}),
      },
      'slack: connected',
    );
  }

  async stop(options: StopOptions = {}): Promise<void> {
    const app = this.app;
    this.app = undefined;
    if (!app) return;
    this.unregisterSender?.();
    this.unregisterSender = undefined;
    // No new events: close the socket, or take the HTTP route away from Bolt.
    if (this.socketReceiver) {
      await this.socketReceiver.client.disconnect();
    } else {
      await app.stop();
    }
    const drained = await settlesWithin(this.idle(), options.graceMs ?? Number.POSITIVE_INFINITY);
    if (!drained) {
      this.runtime.logger.warn(
        { inflight: this.inflight.size, graceMs: options.graceMs },
        'slack: answers still in flight at the shutdown deadline; closing anyway',
      );
    }
    this.delivery.close();
    this.fetch.close();
    await this.ownServer?.close();
    this.ownServer = undefined;
  }

  /** Resolves once every event, command and click received so far has been answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private createApp(): App {
    const s = this.settings;
    const secrets = [s.botToken, s.appToken, s.signingSecret].filter((v): v is string => Boolean(v));
    const logger = boltLogger(this.runtime.logger, secrets);
    const clientOptions: webApi.WebClientOptions = slackClientOptions({
      fetch: this.fetch,
      apiUrl: s.apiUrl,
    });
    const common = {
      token: s.botToken,
      logger,
      // A 429 comes back at once with its Retry-After; the delivery queue waits it out per channel
      // instead of the client pausing every call.
      clientOptions: { ...clientOptions, rejectRateLimitedCalls: true },
      deferInitialization: true,
      convoStore: false as const,
    };
    if (s.mode === 'socket' && s.appToken) {
      // Built here (not by App) so that stop() can wait for the socket to close.
      this.socketReceiver = new SocketModeReceiver({
        appToken: s.appToken,
        logger,
        installerOptions: { clientOptions },
      });
      return new App({ ...common, receiver: this.socketReceiver });
    }
    this.httpReceiver = new HonoSlackReceiver({
      signingSecret: s.signingSecret ?? '',
      path: SLACK_EVENTS_PATH,
      logger,
    });
    return new App({ ...common, receiver: this.httpReceiver });
  }

  private register(app: App): void {
    const h = this.handlers;
    // Events are acknowledged by Bolt before the listener runs; only the answering waits its turn.
    app.event('message', ({ event, body, context, client }) =>
      this.track(() => this.gate.run(() => h.onMessage(event, eventId(body), context.botUserId, client))),
    );
    app.event('app_mention', ({ event, body, context, client }) =>
      this.track(() => this.gate.run(() => h.onMention(event, eventId(body), context.botUserId, client))),
    );
    app.command(/^\/koban(?:-[a-z]+)?$/, ({ ack, command, client, respond }) =>
      this.track(async () => {
        await ack();
        await h.onCommand(command, client, respond);
      }),
    );
    app.action(new RegExp(`^${ACTION_PREFIX}`), ({ ack, body, client, respond }) =>
      this.track(async () => {
        await ack();
        await h.onAction(body, client, respond);
      }),
    );
    // The ack must carry the field errors, so it waits for the validation (a few milliseconds).
    app.view(VISIT_CALLBACK_ID, ({ ack, body, client }) =>
      this.track(async () => {
        let outcome: ViewOutcome = {};
        try {
          outcome = await h.onViewSubmission(body, client);
        } finally {
          await ack(outcome.ack);
        }
        await outcome.after?.();
      }),
    );
    app.view(ANNOUNCE_CALLBACK_ID, ({ ack, body, client }) =>
      this.track(async () => {
        let outcome: ViewOutcome = {};
        try {
          outcome = await h.onAnnounceSubmission(body, client);
        } finally {
          await ack(outcome.ack);
        }
        await outcome.after?.();
      }),
    );
    app.view(DECISION_CALLBACK_ID, ({ ack, body, client }) =>
      this.track(async () => {
        let outcome: ViewOutcome = {};
        try {
          outcome = await h.onDecisionSubmission(body, client);
        } finally {
          await ack(outcome.ack);
        }
        await outcome.after?.();
      }),
    );
    app.error(async (error) => {
      const original = (error as { original?: unknown }).original;
      this.runtime.logger.error(
        { code: slackErrorCode(original ?? error), bolt: error.code },
        'slack: a listener failed',
      );
    });
  }

  /** Runs one listener's work, counted for idle(); a failure is logged, never thrown into Bolt. */
  private track(work: () => Promise<void>): Promise<void> {
    const p = work().catch((err: unknown) => {
      this.runtime.logger.error({ code: slackErrorCode(err), err }, 'slack: handling a payload failed');
    });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private setupError(err: unknown, variable: string, method: string): Error {
    const code = slackErrorCode(err);
    if (AUTH_ERRORS.has(code)) {
      return new SlackSetupError(
        `Slack refused ${variable} (${method}: ${code}): check the token in your settings`,
        variable,
      );
    }
    const where = this.settings.apiUrl ?? 'https://slack.com/api/';
    const detail = err instanceof Error ? err.message : String(err);
    return new SlackSetupError(
      `cannot connect to Slack at ${where} (${method}: ${code}): ${detail}`,
      this.settings.apiUrl ? 'SLACK_API_URL' : variable,
    );
  }
}

/** The Slack adapter for `npm start`; throws SlackSetupError when a required SLACK_* setting is missing. */
export function createSlackAdapter(runtime: Runtime, http?: HttpServer): SlackAdapter {
  return new SlackAdapter(runtime, slackSettings(runtime.config), http);
}
