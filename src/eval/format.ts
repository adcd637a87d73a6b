/** The eval report as a fixed-width table. */
import type { Metrics } from './metrics.js';

const COLUMNS: Array<[string, (m: Metrics) => string]> = [
  ['n', (m) => String(m.n)],
  ['top1', (m) => fmt(m.top1)],
  ['first', (m) => fmt(m.first)],
  ['recall@3', (m) => fmt(m.recall3)],
  ['MRR', (m) => fmt(m.mrr)],
  ['fb-prec', (m) => fmt(m.fallbackPrecision)],
  ['fb-recall', (m) => fmt(m.fallbackRecall)],
  ['in-refused', (m) => fmt(m.inScopeRefused)],
  ['sched', (m) => (m.scheduleN ? `${fmt(m.scheduleAccuracy)}/${m.scheduleN}` : '-')],
  ['intent', (m) => (m.intentN ? `${fmt(m.intentAccuracy)}/${m.intentN}` : '-')],
  ['conv', (m) => (m.conversationN ? `${fmt(m.conversationAccuracy)}/${m.conversationN}` : '-')],
  ['follow-up', (m) => (m.followUpN ? `${fmt(m.followUpAccuracy)}/${m.followUpN}` : '-')],
  ['p50 ms', (m) => m.p50.toFixed(2)],
  ['p99 ms', (m) => m.p99.toFixed(2)],
];

function fmt(v: number): string {
  return Number.isNaN(v) ? '-' : v.toFixed(3);
}

export function formatTable(title: string, rows: Record<string, Metrics>): string {
  const header = ['lang', ...COLUMNS.map(([h]) => h)];
  const body = Object.entries(rows).map(([lang, m]) => [lang, ...COLUMNS.map(([, f]) => f(m))]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [title, line(header), ...body.map(line)].join('\n');
}
