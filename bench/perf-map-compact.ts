/**
 * Rewrites a `/tmp/perf-PID.map` (node `--perf-basic-prof`) so that where code ranges overlap, the
 * entry written last wins. V8 reuses the code space of collected code, and perf would otherwise name
 * a hot function after whatever start-up code once sat at its address (a module's top level, an
 * index build): run it after the bot exits, before `perf script`.
 *
 *   node --import tsx bench/perf-map-compact.ts /tmp/perf-PID.map
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: bench/perf-map-compact.ts /tmp/perf-PID.map');
  process.exit(2);
}
const entries = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [start = '0', size = '0', ...name] = line.split(' ');
    const from = BigInt(`0x${start}`);
    return { start: from, end: from + BigInt(`0x${size}`), name: name.join(' ') };
  });
/** Kept entries, sorted by start, none overlapping. */
const kept: typeof entries = [];
/** Where an entry for [start, end) goes among the kept ones, or -1 when it overlaps one of them. */
const slot = (start: bigint, end: bigint): number => {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((kept[mid]?.end ?? 0n) <= start) lo = mid + 1;
    else hi = mid;
  }
  const next = kept[lo];
  return next && next.start < end ? -1 : lo;
};
let dropped = 0;
// The newest first: an older entry survives only where nothing newer covers it.
for (let i = entries.length - 1; i >= 0; i--) {
  const entry = entries[i];
  if (!entry) continue;
  const at = slot(entry.start, entry.end);
  if (at < 0) dropped++;
  else kept.splice(at, 0, entry);
}
writeFileSync(
  file,
  `${kept.map((e) => `${e.start.toString(16)} ${(e.end - e.start).toString(16)} ${e.name}`).join('\n')}\n`,
);
console.log(`${file}: kept ${kept.length} entries, dropped ${dropped} older ones overlapping newer code`);
