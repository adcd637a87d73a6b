/**
 * The HTTP client of the platform libraries' REST calls (the Slack Web API client's `fetch`,
 * discord.js's REST `makeRequest`): requests with a text or byte body, or none, go through
 * node:http(s) on kept-alive connections and come back as a light response (status, headers, the
 * body read once into memory). Node's fetch and undici's `request` cost two to three times the CPU
 * per call (measured on this machine against a local server, 3,000 JSON POSTs: 0.15-0.20 ms for
 * this, 0.23-0.33 ms for undici's `request`, 0.40-0.43 ms for node:http with a WHATWG `Response`).
 * Anything else (a multipart upload, a stream) goes to the global fetch unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Connections kept open per host; the Slack Web API client runs at most 100 calls at once. */
const MAX_SOCKETS = 100;

/** A `fetch` for the platform clients; `close()` ends its idle connections (at stop). */
export type KeepAliveFetch = typeof fetch & { close(): void };

/** A request body this client sends itself; undefined means another kind (left to the global fetch). */
function plainBody(body: unknown): string | Uint8Array | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return undefined;
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

export function keepAliveFetch(): KeepAliveFetch {
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
    const body = plainBody(init?.body);
    if (url === undefined || body === undefined) return fetch(input, init);
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return fetch(input, init);
    const headers = headerRecord(init?.headers);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    else if (method !== 'GET' && method !== 'HEAD') headers['content-length'] = '0';
    return send(target, target.protocol === 'https:' ? httpsRequest : httpRequest, {
      method,
      agent: agents[target.protocol],
      headers,
      body,
      signal: init?.signal ?? undefined,
    });
  };
  return Object.assign(fetchFn, { close });
}

interface SendOptions {
  method: string;
  agent: HttpAgent;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  signal: AbortSignal | undefined;
}

function send(url: URL, request: typeof httpRequest, options: SendOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const req = request(url, { method: options.method, agent: options.agent, headers: options.headers });
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
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
        // The callers read status, headers and the body of a Response, nothing more (see LightResponse).
        resolve(new LightResponse(url.href, res, body) as unknown as Response);
      });
    });
    if (options.body === null) req.end();
    else req.end(options.body);
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
 * The parts of a WHATWG `Response` the Slack Web API client (status, headers, url, text, arrayBuffer)
 * and discord.js's REST (status, ok, headers, json, arrayBuffer, text) read, over a body already in
 * memory; building a real `Response` and `Headers` costs more than the request itself.
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
