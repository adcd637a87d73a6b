/**
 * CPU of the SQLite work the bot does for each chat message, outside the turn's own logic: the
 * event claim, the visit-draft, hand-off, visit-request and context reads, the context write and
 * the finish mark (the statements the end-to-end bench counts per message), through the real store
 * on a file in WAL mode. `--batch N` wraps every N messages in one transaction (1: one commit per message instead
 * of one per write), to price grouping the commits.
 *
 *   node --import tsx bench/store-writes.ts [--messages 3000] [--batch 1|8] [--rounds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { ConversationContext } from '../src/stores/context.js';
import { KyselyStore } from '../src/stores/kysely-store.js';

const { values } = parseArgs({
  options: { messages: { type: 'string' }, batch: { type: 'string' }, rounds: { type: 'string' } },
});
const messages = Number(values.messages ?? 3000);
const batch = Number(values.batch ?? 0);
const rounds = Number(values.rounds ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'koban-store-bench-'));
const store = await KyselyStore.open({ path: join(dir, 'koban.db') });
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

await run(300);
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < rounds; r++) best = Math.min(best, await run(messages));
console.log(
  `${best.toFixed(3)} ms CPU per message (min of ${rounds} rounds of ${messages}; ${batch > 0 ? `${batch} message(s) per transaction` : 'each write its own commit'})`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
