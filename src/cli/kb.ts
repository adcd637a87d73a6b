/** `koban kb validate` and `koban kb stats`. */
import { LANGUAGES, type Lang } from '../core/languages.js';
import { loadKnowledge } from '../engines/knowledge/loader.js';
import { formatProblem } from '../engines/knowledge/problems.js';
import { loadSchedules } from '../engines/schedule/course-file.js';

/** Prints every problem; returns the exit code (1 when there are errors). */
export function kbValidate(dir: string, out: (s: string) => void): number {
  const { knowledge, problems } = loadKnowledge(dir);
  const schedules = loadSchedules(dir);
  const all = [...problems.items, ...schedules.problems.items];
  for (const p of all) out(formatProblem(p));
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.length - errors;
  if (errors > 0 || !knowledge) {
    out(`\n${errors} error(s), ${warnings} warning(s) in ${dir}`);
    return 1;
  }
  out(
    `${dir}: OK, ${knowledge.entries.size} entries, ${schedules.courses.size} course schedule(s), ${warnings} warning(s)`,
  );
  return 0;
}

/**
 * A table of entries per language (translation coverage) by category, then question phrasings and
 * off-topic examples per language.
 */
export function kbStats(dir: string, out: (s: string) => void): number {
  const { knowledge, problems } = loadKnowledge(dir);
  if (!knowledge) {
    for (const p of problems.errors) out(formatProblem(p));
    return 1;
  }
  const categories = [...new Set([...knowledge.entries.values()].map((e) => e.category))].sort();
  const rows: string[][] = [['category', 'entries', ...LANGUAGES]];
  const count = (ids: string[]): string[] => [
    String(ids.length),
    ...LANGUAGES.map((l) => String(ids.filter((id) => knowledge.entries.get(id)?.translations[l]).length)),
  ];
  for (const c of categories) {
    rows.push([
      c,
      ...count([...knowledge.entries.values()].filter((e) => e.category === c).map((e) => e.id)),
    ]);
  }
  const all = [...knowledge.entries.keys()];
  const total = ['total', ...count(all)];
  rows.push(total);
  rows.push([
    'coverage',
    '',
    ...LANGUAGES.map(
      (l) =>
        `${Math.round((100 * all.filter((id) => knowledge.entries.get(id)?.translations[l]).length) / Math.max(1, all.length))}%`,
    ),
  ]);
  const phrasings = (l: Lang): number =>
    all.reduce((n, id) => n + (knowledge.entries.get(id)?.translations[l]?.questions.length ?? 0), 0);
  rows.push(['questions', '', ...LANGUAGES.map((l) => String(phrasings(l)))]);
  rows.push(['off-topic', '', ...LANGUAGES.map((l) => String(knowledge.offTopic[l]?.length ?? 0))]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows)
    out(
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    );
  return 0;
}
