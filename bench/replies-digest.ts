/**
 * Every reply to the development and held-out questions, one line each, and a digest of them all:
 * run before and after a change that should only make the bot faster; the digest must not move.
 *
 *   node --import tsx bench/replies-digest.ts                 # digest + counts on stdout
 *   node --import tsx bench/replies-digest.ts --out /tmp/a.txt   # also every line to a file (diff two)
 *   node --import tsx bench/replies-digest.ts --steady 3000   # steady-state turns after the first pass
 *
 * A fresh runtime (empty data dir, fixed clock), questions in a fixed order: first the development
 * then the held-out set, each item as `koban eval` asks it (a new user per item, its turns before
 * the scored one), then `--steady` turns of known users (five per language) asking the development
 * set round robin as `npm run bench` does (a visit form a message opened is dropped). One line per
 * reply: set, item, turn, intent, kind, entry, confidence (4 decimals), suggestions, sessions,
 * reply language, and a hash of what is shown (text, buttons, form fields).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import type { Reply } from '../src/core/reply.js';
import { type Question, readQuestionSet } from '../src/eval/question-set.js';
import { createRuntime } from '../src/main.js';

const ROOT = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    steady: { type: 'string', default: '2000' },
    now: { type: 'string', default: '2026-12-07T09:00:00Z' },
  },
});

const FIXED = new Date(args.now ?? '2026-12-07T09:00:00Z');
const clock = () => new Date(FIXED.getTime());

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12);
}

function shown(reply: Reply): string {
  return JSON.stringify({ text: reply.text, buttons: reply.buttons, form: reply.form });
}

function line(tag: string, reply: Reply): string {
  const conf = reply.confidence === undefined ? '-' : reply.confidence.toFixed(4);
  const sugg = reply.suggestions.map((s) => s.entryId).join(',');
  const sessions = (reply.sessions ?? []).map((s) => `${s.courseId}/${s.sessionId}@${s.start}`).join(',');
  const kind = reply.kind ?? '-';
  return [
    tag,
    reply.intent,
    kind,
    reply.entryId ?? '-',
    conf,
    sugg || '-',
    sessions || '-',
    reply.lang,
    hash(shown(reply)),
  ].join('\t');
}

async function main(): Promise<void> {
  const sets: Array<[string, Question[]]> = [
    ['dev', readQuestionSet(join(ROOT, 'test', 'dev-set'))],
    ['holdout', readQuestionSet(join(ROOT, 'test', 'holdout'))],
  ];
  const data = mkdtempSync(join(tmpdir(), 'koban-digest-'));
  const runtime = await createRuntime(loadConfig({ KOBAN_DATA_DIR: data }), { clock });
  const lines: string[] = [];
  const count: Record<string, number> = {};
  try {
    for (const [name, set] of sets) {
      for (const [i, q] of set.entries()) {
        const userId = `${name}-${i}`;
        if (q.course) await runtime.store.updateUser(`cli:${userId}`, { course: q.course });
        const now = q.now ? new Date(q.now) : FIXED;
        const turns = [...q.before, q.text];
        for (const [t, text] of turns.entries()) {
          const reply = await runtime.assistant.handle({
            platform: 'cli',
            userId,
            text,
            localeHint: q.lang,
            direct: true,
            now,
          });
          lines.push(line(`${name}\t${i}\t${t}`, reply));
          count[reply.intent] = (count[reply.intent] ?? 0) + 1;
        }
      }
    }
    const dev = sets[0]?.[1] ?? [];
    const steady = Number(args.steady);
    for (let i = 0; i < steady; i++) {
      const q = dev[i % dev.length] as Question;
      const userId = `steady-${q.lang}-${i % 5}`;
      const reply = await runtime.assistant.handle({
        platform: 'cli',
        userId,
        text: q.text,
        localeHint: q.lang,
        direct: true,
        now: q.now ? new Date(q.now) : FIXED,
      });
      lines.push(line(`steady\t${i}\t0`, reply));
      if (reply.form) await runtime.store.visits.dropDraft(`cli:${userId}`);
    }
  } finally {
    await runtime.close();
    rmSync(data, { recursive: true, force: true });
  }
  const all = `${lines.join('\n')}\n`;
  if (args.out) writeFileSync(args.out, all);
  const counts = Object.entries(count)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`replies ${lines.length} (${counts})`);
  console.log(`digest ${createHash('sha256').update(all).digest('hex')}`);
}

await main();
