/**
 * Slack's HTTP mode as a route on the bot's one HTTP server (`src/server/http.ts`): a Bolt
 * `Receiver` that checks the request's age (both ways) and signature, refuses at once what is not a
 * Slack event, command or interaction, and hands the rest to Bolt with Bolt's own acknowledgement.
 */

import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { App, Logger as BoltLogger, Receiver, ReceiverEvent } from '@slack/bolt';
import { HTTPResponseAck, HTTPModuleFunctions as http } from '@slack/bolt';
import type { HttpApp } from '../../server/http.js';

/** Slack signs every request; one older or newer than this is refused (a replay, or a wrong clock). */
export const MAX_REQUEST_AGE_S = 5 * 60;
/** Largest request body accepted. */
export const BODY_LIMIT = 1024 * 1024;

/** Interaction payload types Bolt handles. */
const INTERACTIONS: ReadonlySet<string> = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
]);

/** True for a payload Bolt can route: an event, a slash command or an interaction. */
export function isSlackPayload(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { type?: unknown; command?: unknown };
  if (b.type === 'event_callback') return true;
  if (typeof b.command === 'string') return true;
  return typeof b.type === 'string' && INTERACTIONS.has(b.type);
}

export interface HonoReceiverOptions {
  signingSecret: string;
  path: string;
  logger: BoltLogger;
  now?: () => number;
}

export class HonoSlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HonoReceiverOptions) {
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  /** The server is started and stopped by its owner; the route refuses requests while Bolt is not ready. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.app = undefined;
  }

  /** Registers `POST <path>` on the shared server. */
  mount(server: HttpApp): void {
    server.post(this.options.path, async (c) => {
      const { incoming: req, outgoing: res } = c.env;
      const app = this.app;
      if (!app) return c.text('not ready\n', 503);
      const stamp = Number(req.headers['x-slack-request-timestamp']);
      if (!Number.isFinite(stamp) || Math.abs(this.now() / 1000 - stamp) > MAX_REQUEST_AGE_S) {
        this.options.logger.warn(
          'Refused a Slack request whose timestamp is missing or more than 5 minutes off',
        );
        return c.body(null, 401);
      }
      let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
      try {
        buffered = await http.parseAndVerifyHTTPRequest(
          { signingSecret: this.options.signingSecret, bodyLimit: BODY_LIMIT, nowMilliseconds: this.now },
          req,
        );
      } catch (err) {
        if (http.isRawBodyError(err) && err.statusCode === 413) return c.body(null, 413);
        this.options.logger.warn(`Failed to verify a Slack request: ${(err as Error).message}`);
        return c.body(null, 401);
      }
      // biome-ignore lint/suspicious/noExplicitAny: Bolt's parsed request body is untyped; Bolt validates it
      let body: any;
      try {
        body = http.parseHTTPRequestBody(buffered);
      } catch {
        return c.body(null, 400);
      }
      if (body?.ssl_check === '1') return c.body(null, 200);
      if (body?.type === 'url_verification' && typeof body.challenge === 'string') {
        return c.json({ challenge: body.challenge });
      }
      // Anything else would wait Bolt's three seconds for an acknowledgement nobody gives.
      if (!isSlackPayload(body)) return c.body(null, 404);

      const ack = new HTTPResponseAck({
        logger: this.options.logger,
        processBeforeResponse: false,
        httpRequest: buffered,
        httpRequestBody: body,
        httpResponse: res,
      });
      const event: ReceiverEvent = {
        body,
        ack: ack.bind(),
        ...retryOf(req.headers),
      };
      void app.processEvent(event).catch((err: unknown) => {
        this.options.logger.error(`A Slack request failed: ${(err as Error).message}`);
        if (!res.headersSent) http.buildNoBodyResponse(res, 500);
      });
      return RESPONSE_ALREADY_SENT;
    });
  }
}

function retryOf(
  headers: Record<string, string | string[] | undefined>,
): Pick<ReceiverEvent, 'retryNum' | 'retryReason'> {
  const num = Number(headers['x-slack-retry-num']);
  const reason = headers['x-slack-retry-reason'];
  return {
    ...(Number.isInteger(num) ? { retryNum: num } : {}),
    ...(typeof reason === 'string' ? { retryReason: reason } : {}),
  };
}
