/**
 * CPU of the SQLite work the bot does for each chat message, outside the turn's own logic: the
 * event claim, the visit-draft, hand-off, visit-request and context reads, the context write and
 * the finish mark (the statements the end-to-end bench counts per message), through the real store
 * on a file in WAL mode. `--batch N` wraps every N messages in one transaction (1: one commit per message instead
 * of one per write), to price grouping the commits. `--rate R` instead sends R messages a second
 * (timers between them, as the bot's event loop would have) and prints the wall time each message's
 * statements held the event loop: a WAL checkpoint inside a commit shows as a stall of several ms;
 * `--background-checkpoints` runs them in a worker thread as the long-running bot does.
 *
 *   node --import tsx bench/store-writes.ts [--messages 3000] [--batch 1|8] [--rounds 3]
 *   node --import tsx bench/store-writes.ts --rate 200 --messages 6000 [--background-checkpoints]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { ConversationContext } from '../src/stores/context.js';
import { KyselyStore } from '../src/stores/kysely-store.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    batch: { type: 'string' },
    rounds: { type: 'string' },
    rate: { type: 'string' },
    'background-checkpoints': { type: 'boolean' },
  },
});
const messages = Number(values.messages ?? 3000);
const batch = Number(values.batch ?? 0);
const rounds = Number(values.rounds ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'koban-store-bench-'));
const store = await KyselyStore.open({
  path: join(dir, 'koban.db'),
  sqliteBackgroundCheckpoints: values['background-checkpoints'] ?? false,
});
const at = new Date().toISOString();
const context: ConversationContext = {
  turns: Array.from({ length: 8 }, (_, i) => ({
    from: i % 2 === 0 ? ('user' as const) : ('bot' as const),
    text: 'What time does the class on Monday start? '.repeat(3),
    at,
  })),
};

let n = 0;
async function message(): Promise<void> {
  const now = new Date();
  const user = `slack:U${n % 50}`;
  const id = `Ev${n++}`;
  await store.events.claim('slack', id, now, 'C1');
  await store.visits.draft(user);
  await store.handoffs.openFor(user);
  await store.visits.list({ requester: user });
  await store.context.get(user, now);
  await store.context.put(user, context, now);
  await store.events.finish('slack', id, now);
}

async function run(count: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    if (batch > 0 && i % batch === 0) await sql`begin`.execute(store.db);
    await message();
    if (batch > 0 && (i % batch === batch - 1 || i === count - 1)) await sql`commit`.execute(store.db);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / count;
}

/** Each message's statements at `rate` per second: the wall time of each, sorted. */
async function paced(count: number, rate: number): Promise<number[]> {
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const t0 = performance.now();
    await message();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

await run(300);
if (values.rate) {
  const times = await paced(messages, Number(values.rate));
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
  console.log(
    `${messages} messages at ${values.rate}/s, checkpoints ${values['background-checkpoints'] ? 'in a worker' : 'inside commits'}: statements per message p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, p99.9 ${at(0.999)} ms, max ${at(1)} ms; ${times.filter((t) => t > 5).length} over 5 ms (load average ${loadavg()[0]?.toFixed(1)})`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < rounds; r++) best = Math.min(best, await run(messages));
console.log(
  `${best.toFixed(3)} ms CPU per message (min of ${rounds} rounds of ${messages}; ${batch > 0 ? `${batch} message(s) per transaction` : 'each write its own commit'})`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
