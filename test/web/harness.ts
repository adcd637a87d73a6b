/**
 * The web chat on loopback for tests: a runtime on a fresh SQLite file and the repository's
 * knowledge, the web adapter on a free port, and a small browser-like client (cookie jar, CSRF
 * token read from the page).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebRuntime } from '../../src/adapters/web/routes.js';
import { WebAdapter } from '../../src/adapters/web/web-adapter.js';
import { type Config, loadConfig } from '../../src/config.js';
import { MessageLimits } from '../../src/limits/message-limits.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

export interface WebBot {
  base: string;
  runtime: WebRuntime;
  adapter: WebAdapter;
  close(): Promise<void>;
}

/** A runtime on a fresh SQLite file (building the index takes seconds: share one per test file). */
export async function webRuntime(env: Record<string, string> = {}, clock?: () => Date): Promise<Runtime> {
  const data = mkdtempSync(join(tmpdir(), 'koban-web-'));
  const config = loadConfig({ KOBAN_KNOWLEDGE: REPO_KNOWLEDGE, KOBAN_DATA_DIR: data, ...env });
  return createRuntime(config, clock ? { clock } : {});
}

export interface StartOptions {
  /** Settings for this adapter only (e.g. KOBAN_WEB_TRUST_PROXY). */
  config?: Partial<Config>;
  /** Per-session limits for this adapter only (KOBAN_USER_LIMIT). */
  userLimit?: { points: number; seconds: number };
  clock?: () => Date;
  /** Replaces the assistant (a slow one, for shutdown). */
  assistant?: WebRuntime['assistant'];
}

/** The web adapter on a free loopback port, over `runtime`. */
export async function startWeb(runtime: Runtime, options: StartOptions = {}): Promise<WebBot> {
  const web: WebRuntime = {
    ...runtime,
    assistant: options.assistant ?? runtime.assistant,
    config: { ...runtime.config, KOBAN_WEB_PORT: 0, ...options.config },
    ...(options.userLimit
      ? {
          limits: new MessageLimits(
            {
              userPoints: options.userLimit.points,
              userSeconds: options.userLimit.seconds,
              channelPoints: 0,
              channelSeconds: 60,
            },
            { logger: runtime.logger },
          ),
        }
      : {}),
  };
  const adapter = new WebAdapter(web, {
    hostname: '127.0.0.1',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await adapter.start();
  return {
    base: `http://127.0.0.1:${adapter.port}`,
    runtime: web,
    adapter,
    async close() {
      await adapter.stop();
    },
  };
}

/** One visitor: keeps the session cookie and the page's CSRF token. */
export class Visitor {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has('cookie')) headers.set('cookie', this.cookie);
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }

  /** Opens a page and keeps its CSRF token; returns the HTML. */
  async open(path = '/', headers: Record<string, string> = {}): Promise<string> {
    const res = await this.fetch(path, { headers });
    const body = await res.text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return body;
  }

  /** A JSON API call as the page makes it. */
  async ask(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch('/api/messages', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
        origin: this.base,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** A form post as the browser sends it. */
  async post(path: string, fields: Array<[string, string]>, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.base, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
}
