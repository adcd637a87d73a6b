/**
 * The web chat adapter (KOBAN_WEB_PORT): a page and a JSON API on the bot's one Hono app, a third
 * way in beside Slack and Discord. It translates and renders (routes.ts, render.ts, pages.ts);
 * the assistant decides. When KOBAN_WEB_PORT equals KOBAN_HTTP_PORT the routes join that server;
 * otherwise the adapter listens on a server of its own.
 */
import type { Adapter, StopOptions } from '../../core/adapter.js';
import { settlesWithin } from '../../core/within.js';
import { HttpServer } from '../../server/http.js';
import { type WebIntake, type WebRoutesOptions, type WebRuntime, webRoutes } from './routes.js';
import { WebSender } from './sender.js';

export interface WebAdapterOptions extends WebRoutesOptions {
  /** The bot's shared HTTP server (KOBAN_HTTP_PORT), used when the ports are the same. */
  http?: HttpServer | undefined;
  /** Address to listen on (default: all). */
  hostname?: string;
}

export class WebAdapter implements Adapter {
  readonly name = 'web';
  private readonly server: HttpServer;
  private readonly own: boolean;
  private readonly intake: WebIntake;
  private unregister: (() => void) | undefined;
  private running = false;

  constructor(
    private readonly runtime: WebRuntime,
    private readonly options: WebAdapterOptions = {},
  ) {
    const { config } = runtime;
    this.own = !(options.http && config.KOBAN_HTTP_PORT === config.KOBAN_WEB_PORT);
    this.server = this.own ? new HttpServer(runtime.logger) : (options.http as HttpServer);
    this.intake = webRoutes(this.server.app, runtime, options);
  }

  /** The port the page is served on (known once started). */
  get port(): number | undefined {
    return this.server.port;
  }

  /** The address operators link to: KOBAN_WEB_PUBLIC_URL, else the local port. */
  url(): string {
    const publicUrl = this.runtime.config.KOBAN_WEB_PUBLIC_URL;
    if (publicUrl) return publicUrl.replace(/\/+$/, '/');
    return `http://localhost:${this.port ?? this.runtime.config.KOBAN_WEB_PORT ?? 0}/`;
  }

  async start(): Promise<void> {
    if (this.own) await this.server.listen(this.runtime.config.KOBAN_WEB_PORT ?? 0, this.options.hostname);
    this.unregister = this.runtime.visitNotices.register(new WebSender(this.runtime.logger));
    this.running = true;
    this.runtime.logger.info({ url: this.url() }, 'web: chat page ready');
  }

  async stop(options: StopOptions = {}): Promise<void> {
    this.running = false;
    this.unregister?.();
    this.unregister = undefined;
    // New requests get 503 at once; answers being worked on get the grace period.
    if (!(await settlesWithin(this.intake.close(), options.graceMs ?? Number.POSITIVE_INFINITY))) {
      this.runtime.logger.warn(
        { inflight: this.intake.inflight, graceMs: options.graceMs },
        'web: requests still in flight at the shutdown deadline; closing anyway',
      );
    }
    if (this.own) await this.server.close();
  }

  connected(): boolean {
    return this.running;
  }
}
