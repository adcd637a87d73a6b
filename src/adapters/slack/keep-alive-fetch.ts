/**
 * The `fetch` the Slack Web API client is given: its calls (a form-encoded POST with a small JSON
 * answer, one or more per message) go through node:http(s) on kept-alive connections and come back
 * as a light response (status, headers, the body read once from memory) rather than a WHATWG
 * `Response`. Client CPU per JSON POST against a local server in another process
 * (`bench/http-client.ts`, min of 4 rounds of 3,000): 0.083 ms this way, 0.113 ms with a `Response`
 * and `Headers` built for each answer (this client before), 0.396 ms through Node's global fetch;
 * undici's `request`, discord.js's default, 0.077 ms, so the Discord client keeps its own. Any
 * other request (a multipart upload, a GET) goes to the global fetch unchanged.
 *
 * The time limit of a call is this fetch's (`timeoutMs`, one timer per call), not the Web API
 * client's `timeout` option: that one makes an `AbortSignal.timeout` per call, which cost 0.04 ms
 * of the 0.23 ms of CPU a `chat.postMessage` took (`bench/slack-client.ts`).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Connections kept open per host; the Web API client runs at most 100 calls at once. */
const MAX_SOCKETS = 100;

/** A `fetch` for the Web API client; `close()` ends its idle connections (at stop). */
export type KeepAliveFetch = typeof fetch & { close(): void };

export interface KeepAliveFetchOptions {
  /** Longest a call may take, answer included, before it fails with a time-out error (0: no limit). */
  timeoutMs?: number;
}

/** A call that took longer than `timeoutMs`; the Web API client retries it as any failed request. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`the request took longer than ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Request headers as node:http takes them (lower-case names), from a plain object, an array or `Headers`. */
function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined) return out;
  if (init instanceof Headers || Array.isArray(init)) {
    new Headers(init).forEach((value, key) => {
      out[key] = value;
    });
    return out;
  }
  for (const [key, value] of Object.entries(init)) out[key.toLowerCase()] = String(value);
  return out;
}

export function keepAliveFetch(options: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const timeoutMs = options.timeoutMs ?? 0;
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  const close = () => {
    agents['http:'].destroy();
    agents['https:'].destroy();
  };
  const fetchFn: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const body = init?.body;
    const other = () =>
      fetch(
        input,
        timeoutMs > 0 && !init?.signal ? { ...init, signal: AbortSignal.timeout(timeoutMs) } : init,
      );
    if (url === undefined || init?.method !== 'POST' || typeof body !== 'string') return other();
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return other();
    const headers = headerRecord(init.headers);
    headers['content-length'] = String(Buffer.byteLength(body));
    return send(target, target.protocol === 'https:' ? httpsRequest : httpRequest, {
      agent: agents[target.protocol],
      headers,
      body,
      signal: init?.signal ?? undefined,
      timeoutMs,
    });
  };
  return Object.assign(fetchFn, { close });
}

interface SendOptions {
  agent: HttpAgent;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

function send(url: URL, request: typeof httpRequest, options: SendOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const req = request(url, { method: 'POST', agent: options.agent, headers: options.headers });
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const { timeoutMs } = options;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => req.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs)
        : undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    req.on('error', (err) => {
      done();
      reject(err);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => {
        done();
        reject(err);
      });
      res.on('end', () => {
        done();
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        // The Web API client reads status, headers, url and the body of a Response, nothing more (see LightResponse).
        resolve(new LightResponse(url.href, res, body) as unknown as Response);
      });
    });
    req.end(options.body);
  });
}

/** Response headers: node:http's lower-cased record, read as `Headers` are read. */
class LightHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const key of Object.keys(this.raw)) {
      const value = this.get(key);
      if (value !== null) yield [key, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, key: string) => void): void {
    for (const [key, value] of this.entries()) callback(value, key);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * The parts of a WHATWG `Response` the Web API client reads (status, statusText, headers, url,
 * text, arrayBuffer; json for good measure), over a body already in memory: building a real
 * `Response` and `Headers` for each answer cost a third more CPU than the whole call does now.
 */
class LightResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: LightHeaders;
  readonly redirected = false;
  readonly type = 'basic';
  /** Read through text(), json() or arrayBuffer(); there is no stream. */
  readonly body = null;
  private used = false;

  constructor(
    readonly url: string,
    res: IncomingMessage,
    private readonly bytes: Buffer,
  ) {
    const status = res.statusCode ?? 502;
    // As the Response constructor would have it: 200-599, anything else is no answer at all.
    this.status = status >= 200 && status <= 599 ? status : 502;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new LightHeaders(res.headers);
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes;
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.take().toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
}
