/**
 * CPU per `chat.postMessage` of the Slack Web API client as the adapter sets it up (Bolt's
 * WebClient over `keep-alive-fetch.ts`, the retry and time-out settings of `slack-adapter.ts`),
 * posting answers rendered by `block-kit.ts` from real replies, against a local server in a child
 * process that answers as Slack does (so only the client's CPU is counted). Variants run in
 * alternating rounds; the minimum per variant is printed (the machine is shared).
 *
 *   node --import tsx bench/slack-client.ts [--calls 3000] [--rounds 4]
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { renderReply, type SlackMessage } from '../src/adapters/slack/block-kit.js';
import { onTheWire } from '../src/adapters/slack/delivery.js';
import { keepAliveFetch } from '../src/adapters/slack/keep-alive-fetch.js';
import { REQUEST_TIMEOUT_MS, RETRY_CONFIG, slackClientOptions } from '../src/adapters/slack/slack-adapter.js';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/main.js';

const SERVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer({ keepAliveTimeout: 120000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    const body = JSON.stringify({ ok: true, channel: 'D0BENCH', ts: '1700000000.' + String(n++).padStart(6, '0'), message: { type: 'message', text: 'x'.repeat(200), user: 'U0BOT', ts: '1700000000.000001' } });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-slack-req-id': 'abc', 'x-oauth-scopes': 'chat:write,im:history' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

const { values } = parseArgs({ options: { calls: { type: 'string' }, rounds: { type: 'string' } } });
const calls = Number(values.calls ?? 3000);
const rounds = Number(values.rounds ?? 4);

// Real answers to a few questions, rendered as the adapter renders them.
const runtime = await createRuntime(
  loadConfig({ KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-slack-bench-')) }),
);
const questions = [
  ['what should I wear on a koban visit', 'en'],
  ['Koban nedir?', 'tr'],
  ['交番の見学は何時からですか', 'ja'],
  ['hello', 'en'],
  ["what's on tomorrow?", 'en'],
] as const;
const messages: SlackMessage[] = [];
for (const [text, lang] of questions) {
  const reply = await runtime.assistant.handle({
    platform: 'cli',
    userId: 'bench',
    text,
    localeHint: lang,
    direct: true,
  });
  messages.push(renderReply(reply, runtime.i18n, { userText: text }));
}
await runtime.close();

const child = fork('-e', [SERVER], {
  execArgv: ['-e', SERVER],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const [port] = (await once(child, 'message')) as [number];
const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error',
  setName() {},
};

function client(options: webApi.WebClientOptions): webApi.WebClient {
  return new webApi.WebClient('xoxb-bench', {
    slackApiUrl: `http://127.0.0.1:${port}/api/`,
    // biome-ignore lint/suspicious/noExplicitAny: the Logger interface's LogLevel enum; this one drops everything.
    logger: silent as any,
    rejectRateLimitedCalls: true,
    ...options,
  });
}

const variants: Record<string, () => Promise<unknown>> = {};
const post = (c: webApi.WebClient, m: SlackMessage) =>
  c.chat.postMessage({ channel: 'D0BENCH', ...m, unfurl_links: false });
{
  // As the adapter was before: the client's own time limit (an AbortSignal.timeout per call).
  const c = client({ retryConfig: RETRY_CONFIG, timeout: REQUEST_TIMEOUT_MS, fetch: keepAliveFetch() });
  let i = 0;
  variants['before: the client times each call (AbortSignal.timeout), blocks as arrays'] = () =>
    post(c, messages[i++ % messages.length] as SlackMessage);
}
{
  const c = client(slackClientOptions({ fetch: keepAliveFetch({ timeoutMs: REQUEST_TIMEOUT_MS }) }));
  let i = 0;
  variants['the time limit in keep-alive-fetch (one timer per call)'] = () =>
    post(c, messages[i++ % messages.length] as SlackMessage);
}
{
  const c = client(slackClientOptions({ fetch: keepAliveFetch({ timeoutMs: REQUEST_TIMEOUT_MS }) }));
  let i = 0;
  variants['now: that, and blocks as JSON text (delivery.ts onTheWire)'] = () =>
    post(c, onTheWire(messages[i++ % messages.length] as SlackMessage) as SlackMessage);
}

async function run(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 4) await Promise.all([call(), call(), call(), call()]);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const best = new Map<string, number>();
for (const call of Object.values(variants)) await run(call, 300);
for (let r = 0; r < rounds; r++) {
  for (const [name, call] of Object.entries(variants)) {
    const ms = await run(call, calls);
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, ms));
  }
}
for (const [name, ms] of best) console.log(`${ms.toFixed(3)} ms CPU per chat.postMessage  ${name}`);
child.kill();
process.exit(0);
