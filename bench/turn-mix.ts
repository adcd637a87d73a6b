/**
 * CPU per `Assistant.handle` over the end-to-end bench's message mix (`bench/e2e.ts`'s pools and
 * draw: FAQ 70 %, schedule 15 %, small talk 15 %, 50 users, each in their language), run one after
 * the other in this process, with the after-turn writes flushed: the turn's share of the bot's CPU
 * per message in `npm run bench:e2e`, without the adapters. CPU of the whole process (all threads).
 *
 *   node --import tsx bench/turn-mix.ts [--turns 3000] [--rounds 3]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { createRuntime } from '../src/main.js';
import { type Category, type Item, questionPools } from './e2e.js';

const { values } = parseArgs({ options: { turns: { type: 'string' }, rounds: { type: 'string' } } });
const turns = Number(values.turns ?? 3000);
const rounds = Number(values.rounds ?? 3);
const pools = questionPools();
const langs = [...new Set(pools.faq.map((q) => q.lang))].sort();
const byLang = new Map(
  langs.map((lang) => {
    const of = (pool: Item[]) => {
      const own = pool.filter((q) => q.lang === lang);
      return own.length > 0 ? own : pool;
    };
    return [lang, { faq: of(pools.faq), schedule: of(pools.schedule), smalltalk: of(pools.smalltalk) }];
  }),
);
const random = seededRandom(13);
const pick = (lang: string): Item => {
  const mine = byLang.get(lang) as Record<Category, Item[]>;
  const r = random();
  const from = r < 0.7 ? mine.faq : r < 0.85 ? mine.schedule : mine.smalltalk;
  return from[Math.floor(random() * from.length)] as Item;
};

const runtime = await createRuntime(
  loadConfig({ KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-turn-mix-')) }),
);
async function run(n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const user = i % 50;
    const lang = langs[user % langs.length] ?? 'en';
    const reply = await runtime.assistant.handle({
      platform: 'slack',
      userId: `U${user}`,
      text: pick(lang).text,
      localeHint: lang,
      direct: true,
    });
    // A visit form would take the user's next messages as its answers: dropped, as if abandoned.
    if (reply.form) await runtime.store.visits.dropDraft(`slack:U${user}`);
  }
  await runtime.assistant.flush();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}
await run(600);
let best = Number.POSITIVE_INFINITY;
for (let r = 0; r < rounds; r++) best = Math.min(best, await run(turns));
console.log(
  `${best.toFixed(3)} ms CPU per turn (min of ${rounds} rounds of ${turns}, the e2e bench's message mix)`,
);
await runtime.close();
