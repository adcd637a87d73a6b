/**
 * CPU per REST call of the HTTP clients the platform libraries could use, against a local server in
 * a child process (so only the client's CPU is counted): the bot's kept-alive node:http client with
 * a light response (`src/adapters/slack/keep-alive-fetch.ts`, the Slack Web API client's), undici's `request`
 * (discord.js's default), node:http with a WHATWG `Response` (the Slack client's before) and Node's
 * global fetch. Each call is a JSON POST of a chat answer's size, four at a time; the client runs
 * them in rounds, alternating, and prints the minimum per client (the machine is shared).
 *
 *   node --import tsx bench/http-client.ts [--calls 3000] [--rounds 3]
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { keepAliveFetch } from '../src/adapters/slack/keep-alive-fetch.js';

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ id: '1234567890123456789', channel_id: '1', content: 'x'.repeat(300), embeds: [{ title: 't', description: 'd'.repeat(800) }] });
const server = http.createServer({ keepAliveTimeout: 120000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4', 'x-ratelimit-bucket': 'b' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

/** The undici discord.js's REST itself loads (its own copy, not the top-level one). */
const restRequire = createRequire(createRequire(import.meta.url).resolve('@discordjs/rest'));
const { request: undiciRequest } = restRequire('undici') as typeof import('undici');

const { values } = parseArgs({ options: { calls: { type: 'string' }, rounds: { type: 'string' } } });
const calls = Number(values.calls ?? 3000);
const rounds = Number(values.rounds ?? 3);

const child = fork('-e', [SERVER], {
  execArgv: ['-e', SERVER],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const [port] = (await once(child, 'message')) as [number];
const url = `http://127.0.0.1:${port}/api/v10/channels/1/messages`;
const payload = JSON.stringify({
  content: 'y'.repeat(400),
  embeds: [{ title: 'Hello', description: 'z'.repeat(900), color: 1 }],
  allowed_mentions: { parse: [] },
  nonce: '123',
  enforce_nonce: true,
});
const headers = { 'Content-Type': 'application/json', Authorization: 'Bot abc.def' };

const ours = keepAliveFetch();
const agent = new Agent({ keepAlive: true, maxSockets: 100 });

/** node:http answered with a WHATWG Response and Headers, as the Slack client's fetch was built before. */
function whatwg(): Promise<Response> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = {};
    new Headers(headers).forEach((v, k) => {
      h[k] = v;
    });
    h['content-length'] = String(Buffer.byteLength(payload));
    const req = httpRequest(new URL(url), { method: 'POST', agent, headers: h });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          out.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers: out }));
      });
    });
    req.end(payload);
  });
}

const clients: Record<string, () => Promise<unknown>> = {
  'keep-alive node:http, light response (ours)': async () =>
    (
      await ours(url, { method: 'POST', headers, body: payload, signal: new AbortController().signal })
    ).json(),
  "undici request (discord.js's default)": async () =>
    (
      await undiciRequest(url, {
        method: 'POST',
        headers,
        body: payload,
        signal: new AbortController().signal,
      })
    ).body.json(),
  'node:http + WHATWG Response (Slack before)': async () => (await whatwg()).json(),
  'global fetch': async () => (await fetch(url, { method: 'POST', headers, body: payload })).json(),
};

async function run(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 4) await Promise.all([call(), call(), call(), call()]);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const best = new Map<string, number>();
for (const call of Object.values(clients)) await run(call, 400);
for (let r = 0; r < rounds; r++) {
  for (const [name, call] of Object.entries(clients)) {
    const ms = await run(call, calls);
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, ms));
  }
}
for (const [name, ms] of best) console.log(`${ms.toFixed(3)} ms CPU per call  ${name}`);
ours.close();
agent.destroy();
child.kill();
