/**
 * The one HTTP server (Hono on @hono/node-server) for everything that speaks HTTP: `GET /healthz`,
 * `GET /metrics`, and the routes adapters register (Slack's events in HTTP mode).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from '../logger.js';
import type { HealthReport } from './health.js';
import type { Metrics } from './metrics.js';

export type HttpApp = Hono<{ Bindings: HttpBindings }>;

export interface Operations {
  health: () => Promise<HealthReport>;
  metrics: Pick<Metrics, 'render'>;
}

export class HttpServer {
  readonly app: HttpApp = new Hono<{ Bindings: HttpBindings }>();
  private server: Server | undefined;

  constructor(private readonly logger: Logger) {
    this.app.notFound((c) => c.text('not found\n', 404));
    this.app.onError((err, c) => {
      this.logger.error({ err, path: c.req.path }, 'http: a request failed');
      return c.text('internal error\n', 500);
    });
  }

  /** Adds `GET /healthz` (200 when ready, 503 otherwise, JSON either way) and `GET /metrics`. */
  serveOperations(ops: Operations): this {
    this.app.get('/healthz', async (c) => {
      const report = await ops.health();
      return c.json(report, report.ready ? 200 : 503);
    });
    this.app.get('/metrics', async (c) => {
      const { body, contentType } = await ops.metrics.render();
      return c.body(body, 200, { 'content-type': contentType });
    });
    return this;
  }

  /** Starts listening (0 picks a free port); resolves with the port. */
  async listen(port: number, hostname?: string): Promise<number> {
    if (this.server) return this.port ?? port;
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: this.app.fetch, port, ...(hostname ? { hostname } : {}) }, () =>
        resolve(s as Server),
      ) as Server;
      s.once('error', reject);
    });
    this.server = server;
    const listening = this.port ?? port;
    this.logger.info({ port: listening }, 'http: listening');
    return listening;
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
