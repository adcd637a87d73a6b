import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch, RequestTimeoutError } from '../../src/adapters/slack/keep-alive-fetch.js';

interface Seen {
  method: string;
  contentType: string;
  body: string;
  socket: number;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** A server that answers every request with `answer` and records what came in. */
async function serve(
  answer: (req: IncomingMessage, body: string) => [number, Record<string, string>, string],
) {
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
        contentType: req.headers['content-type'] ?? '',
        body,
        socket: sockets.get(req.socket) ?? -1,
      });
      const [status, headers, text] = answer(req, body);
      if (status === 0) return; // never answers
      res.writeHead(status, headers).end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat.postMessage`, seen };
}

describe('the Slack Web API client’s fetch (node:http, kept-alive connections)', () => {
  it('posts the form body and gives back status, headers, body and URL, over one kept connection', async () => {
    const { url, seen } = await serve((_req, body) => [
      200,
      { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write, im:history' },
      JSON.stringify({ ok: true, echo: body }),
    ]);
    const fetchFn = keepAliveFetch();
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetchFn(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `channel=C1&text=h%C3%A9${i}`,
        });
        expect(res.status).toBe(200);
        expect(res.url).toBe(url);
        expect(res.headers.get('x-oauth-scopes')).toBe('chat:write, im:history');
        expect(await res.json()).toEqual({ ok: true, echo: `channel=C1&text=h%C3%A9${i}` });
      }
      expect(seen.map((s) => [s.method, s.contentType, s.socket])).toEqual([
        ['POST', 'application/x-www-form-urlencoded', 0],
        ['POST', 'application/x-www-form-urlencoded', 0],
        ['POST', 'application/x-www-form-urlencoded', 0],
      ]);
    } finally {
      fetchFn.close();
    }
  });

  it('passes a 429 with its Retry-After through, as fetch does', async () => {
    const { url } = await serve(() => [429, { 'retry-after': '7' }, '']);
    const fetchFn = keepAliveFetch();
    const res = await fetchFn(url, { method: 'POST', body: 'a=1' });
    fetchFn.close();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('gives up when the signal times out', async () => {
    const { url } = await serve(() => [0, {}, '']);
    const fetchFn = keepAliveFetch();
    const call = fetchFn(url, { method: 'POST', body: 'a=1', signal: AbortSignal.timeout(100) });
    await expect(call).rejects.toThrow(/timeout|abort/i);
    fetchFn.close();
  });

  it('gives up after its own time limit, and not before a slower answer within it', async () => {
    let delay = 0;
    const { url } = await serve(() => (delay === 0 ? [0, {}, ''] : [200, {}, '{"ok":true}']));
    const fetchFn = keepAliveFetch({ timeoutMs: 150 });
    try {
      const started = performance.now();
      const call = fetchFn(url, { method: 'POST', body: 'a=1' });
      await expect(call).rejects.toBeInstanceOf(RequestTimeoutError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      delay = 1;
      const res = await fetchFn(url, { method: 'POST', body: 'a=1' });
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      fetchFn.close();
    }
  });

  it('lets the answer be read once, as a Response is, with its headers listed', async () => {
    const { url } = await serve(() => [
      200,
      { 'content-type': 'application/json', 'x-a': '1' },
      '{"ok":true}',
    ]);
    const fetchFn = keepAliveFetch();
    try {
      const res = await fetchFn(url, { method: 'POST', body: 'a=1' });
      expect([res.status, res.ok, res.bodyUsed]).toEqual([200, true, false]);
      expect(Object.fromEntries(res.headers.entries())).toMatchObject({
        'x-a': '1',
        'content-type': 'application/json',
      });
      expect(await res.text()).toBe('{"ok":true}');
      expect(res.bodyUsed).toBe(true);
      await expect(res.json()).rejects.toThrow(TypeError);
    } finally {
      fetchFn.close();
    }
  });

  it('leaves a multipart upload (FormData) to the global fetch', async () => {
    const { url, seen } = await serve(() => [200, { 'content-type': 'text/plain' }, 'OK']);
    const fetchFn = keepAliveFetch();
    const form = new FormData();
    form.append('file', new Blob(['BEGIN:VCALENDAR']), 'course.ics');
    const res = await fetchFn(url, { method: 'POST', body: form });
    fetchFn.close();
    expect(await res.text()).toBe('OK');
    expect(seen[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('BEGIN:VCALENDAR');
  });
});
