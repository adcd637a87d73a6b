/**
 * `koban unanswered`: what the bot could not answer (data/unanswered.jsonl), most asked first, so
 * coordinators know which phrasings to add to an entry's `questions` and which messages to add to
 * knowledge/off-topic/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLang, type Lang } from '../core/languages.js';

const lineSchema = z.object({
  at: z.string(),
  lang: z.string().refine(isLang),
  text: z.string(),
  confidence: z.number(),
  suggestions: z.array(z.string()),
});

export interface UnansweredOptions {
  lang?: Lang | undefined;
  limit?: number | undefined;
}

interface Group {
  text: string;
  lang: string;
  count: number;
  last: string;
  suggestion: string | undefined;
}

/** Same question, however it was capitalised or punctuated. */
function key(lang: string, text: string): string {
  return `${lang}\u0000${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\s]+/gu, ' ')
    .trim()}`;
}

export function unansweredReport(path: string, options: UnansweredOptions, out: (s: string) => void): number {
  if (!existsSync(path)) {
    out(`${path}: no unanswered questions recorded yet`);
    return 0;
  }
  const groups = new Map<string, Group>();
  let unreadable = 0;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    let parsed: z.ZodSafeParseResult<z.infer<typeof lineSchema>>;
    try {
      parsed = lineSchema.safeParse(JSON.parse(raw));
    } catch {
      unreadable++;
      continue;
    }
    if (!parsed.success) {
      unreadable++;
      continue;
    }
    const q = parsed.data;
    if (options.lang && q.lang !== options.lang) continue;
    const k = key(q.lang, q.text);
    const group = groups.get(k);
    if (group) {
      group.count++;
      if (q.at > group.last) group.last = q.at;
    } else {
      groups.set(k, { text: q.text, lang: q.lang, count: 1, last: q.at, suggestion: q.suggestions[0] });
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || b.last.localeCompare(a.last));
  const total = sorted.reduce((n, g) => n + g.count, 0);
  out(`${total} unanswered message(s), ${sorted.length} different, in ${path}`);
  for (const g of sorted.slice(0, options.limit ?? 50)) {
    const hint = g.suggestion ? `  (closest: ${g.suggestion})` : '';
    out(`${String(g.count).padStart(4)}  ${g.lang}  ${g.text.replace(/\s+/g, ' ').slice(0, 100)}${hint}`);
  }
  if (unreadable > 0) out(`${unreadable} line(s) could not be read and were skipped`);
  out('Add a phrasing to the closest entry\'s "questions" when the bot should have answered,');
  out('or a line to knowledge/off-topic/<lang>.yaml when it should not (see knowledge/README.md).');
  return 0;
}
