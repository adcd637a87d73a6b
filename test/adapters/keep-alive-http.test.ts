import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/adapters/discord/client.js';
import { keepAliveFetch } from '../../src/adapters/keep-alive-http.js';

interface Seen {
  method: string;
  path: string;
  contentType: string;
  authorization: string;
  body: string;
  socket: number;
}

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

/** A server that answers each request with the next of `answers` (the last one repeats) and records what came in. */
async function serve(answers: [number, Record<string, string>, string][]) {
  const seen: Seen[] = [];
  const sockets = new Map<unknown, number>();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size);
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        authorization: req.headers.authorization ?? '',
        body,
        socket: sockets.get(req.socket) ?? -1,
      });
      const [status, headers, text] = answers[Math.min(seen.length, answers.length) - 1] ?? [500, {}, ''];
      res.writeHead(status, headers).end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = { 'content-type': 'application/json' };

describe('the platform clients’ HTTP (node:http, kept-alive connections, a light response)', () => {
  it('sends a GET without a body and reads the answer once, as a Response is read', async () => {
    const { base, seen } = await serve([[200, { ...json, 'x-a': '1' }, '{"ok":true}']]);
    const fetchFn = keepAliveFetch();
    try {
      const res = await fetchFn(`${base}/gateway/bot`);
      expect([res.status, res.ok, res.bodyUsed]).toEqual([200, true, false]);
      expect(Object.fromEntries(res.headers.entries())).toMatchObject({ 'x-a': '1' });
      expect(await res.json()).toEqual({ ok: true });
      expect(res.bodyUsed).toBe(true);
      await expect(res.text()).rejects.toThrow(TypeError);
      expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([['GET', '/gateway/bot', '']]);
    } finally {
      fetchFn.close();
    }
  });

  it('carries discord.js REST calls: JSON bodies, the token, a 429 waited out, one kept connection', async () => {
    const limited = {
      ...json,
      'retry-after': '0.05',
      'x-ratelimit-scope': 'user',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '0.05',
      'x-ratelimit-bucket': 'b1',
    };
    const { base, seen } = await serve([
      [200, { ...json, 'x-ratelimit-remaining': '4', 'x-ratelimit-bucket': 'b1' }, '{"id":"1"}'],
      [429, limited, '{"message":"You are being rate limited.","retry_after":0.05,"global":false}'],
      [200, { ...json, 'x-ratelimit-remaining': '3', 'x-ratelimit-bucket': 'b1' }, '{"id":"2"}'],
    ]);
    const fetchFn = keepAliveFetch();
    const rest = new REST({
      api: base,
      makeRequest: (url, init) => fetchFn(url, init as unknown as RequestInit),
    });
    rest.setToken('test-token');
    try {
      const first = await rest.post('/channels/9/messages', { body: { content: 'héllo' } });
      const second = await rest.post('/channels/9/messages', { body: { content: 'again' } });
      expect([first, second]).toEqual([{ id: '1' }, { id: '2' }]);
      expect(seen.map((s) => [s.method, s.path, s.contentType, s.body])).toEqual([
        ['POST', '/v10/channels/9/messages', 'application/json', '{"content":"héllo"}'],
        ['POST', '/v10/channels/9/messages', 'application/json', '{"content":"again"}'],
        ['POST', '/v10/channels/9/messages', 'application/json', '{"content":"again"}'],
      ]);
      expect(seen.every((s) => s.authorization === 'Bot test-token' && s.socket === 0)).toBe(true);
    } finally {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      fetchFn.close();
    }
  });

  it('is the discord.js client’s REST transport when the adapter gives one', () => {
    const fetchFn = keepAliveFetch();
    const withOurs = createClient({ messageContent: false, fetch: fetchFn });
    const without = createClient({ messageContent: false });
    expect(withOurs.rest.options.makeRequest).not.toBe(without.rest.options.makeRequest);
    void withOurs.destroy();
    void without.destroy();
    fetchFn.close();
  });
});
