/** `koban kb validate` and `koban kb stats`. */
import { LANGUAGES, type Lang } from '../core/languages.js';
import { AnnouncementPhrasesError, readAnnouncementPhrases } from '../engines/announcements/dm-phrases.js';
import { FOLLOW_UPS_FILE, followUpProblems } from '../engines/conversation/follow-up-phrases.js';
import { loadKnowledge, type UnconfirmedValue } from '../engines/knowledge/loader.js';
import { formatProblem, type Problem } from '../engines/knowledge/problems.js';
import { SMALLTALK_KINDS } from '../engines/knowledge/smalltalk.js';
import { ReminderPhrasesError, readReminderPhrases } from '../engines/reminders/phrases.js';
import { loadSchedules } from '../engines/schedule/course-file.js';
import { SCHEDULE_WORDS_DIR, scheduleWordsProblems } from '../engines/schedule/schedule-words.js';

/** The entries (folder names) behind answer files like `faq/<id>/<lang>.md`, each once. */
function answersUsing(files: readonly string[]): string[] {
  return [...new Set(files.map((f) => f.split(/[\\/]/).at(-2) ?? f))].sort();
}

/** center.yaml values nobody confirmed: one warning, or with `goLive` one error per value. */
export function unconfirmedProblems(unconfirmed: readonly UnconfirmedValue[], goLive: boolean): Problem[] {
  if (unconfirmed.length === 0) return [];
  const file = 'center.yaml';
  if (!goLive) {
    const message =
      `${unconfirmed.length} value(s) not confirmed by the operator (${unconfirmed.map((u) => u.path).join(', ')}); ` +
      'check each against the center and add it to "confirmed:"; "kb validate --go-live" fails until then';
    return [{ file, severity: 'warning', message }];
  }
  return unconfirmed.map((u) => {
    const answers = answersUsing(u.usedBy);
    const use = answers.length ? `used by ${answers.join(', ')}` : 'used by no answer';
    return {
      file,
      severity: 'error',
      message: `${u.path} is not confirmed (${use}); check it and add "${u.path}" to "confirmed:"`,
    };
  });
}

/**
 * Prints every problem; returns the exit code (1 when there are errors). With `goLive`, every
 * center.yaml value the operator has not confirmed is an error too.
 */
export function kbValidate(
  dir: string,
  out: (s: string) => void,
  options: { goLive?: boolean } = {},
): number {
  const { knowledge, problems } = loadKnowledge(dir);
  const schedules = loadSchedules(dir);
  const phrases: Problem[] = [];
  try {
    readReminderPhrases(dir);
  } catch (err) {
    if (!(err instanceof ReminderPhrasesError)) throw err;
    phrases.push({ file: 'intents/reminders.yaml', severity: 'error', message: err.message });
  }
  try {
    readAnnouncementPhrases(dir);
  } catch (err) {
    if (!(err instanceof AnnouncementPhrasesError)) throw err;
    phrases.push({ file: 'intents/announcements.yaml', severity: 'error', message: err.message });
  }
  const all = [
    ...problems.items,
    ...schedules.problems.items,
    ...phrases,
    ...unconfirmedProblems(knowledge?.unconfirmed ?? [], options.goLive === true),
    ...followUpProblems(dir).map(
      (message): Problem => ({ file: FOLLOW_UPS_FILE, severity: 'error', message }),
    ),
    ...scheduleWordsProblems(dir).map(
      (message): Problem => ({ file: SCHEDULE_WORDS_DIR, severity: 'error', message }),
    ),
  ];
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
 * off-topic examples and small-talk phrasings per kind, per language.
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
  for (const kind of SMALLTALK_KINDS) {
    const n = (l: Lang): number => knowledge.smalltalk[l]?.[kind]?.length ?? 0;
    if (LANGUAGES.some((l) => n(l) > 0))
      rows.push([`smalltalk ${kind}`, '', ...LANGUAGES.map((l) => String(n(l)))]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows)
    out(
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    );
  return 0;
}
