/** Evaluation question sets: one JSON object per line, validated with zod. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isLang, type Lang } from '../core/languages.js';

export const questionSchema = z
  .object({
    /** One question; or `turns`, a conversation whose last reply is scored (follow-ups). */
    text: z.string().optional(),
    turns: z
      .array(z.object({ text: z.string().min(1) }))
      .min(2)
      .optional(),
    lang: z.string().refine(isLang, 'must be one of en, ja, id, vi, th, tl, tr, fa'),
    /**
     * Any one of these counts as right: an entry id, "fallback", "intent:NAME" or "not:NAME" (any
     * other intent), where NAME is a reply intent (schedule, visit, help, ...) or a small-talk kind
     * (greeting, thanks, goodbye, about, human).
     */
    expect: z.array(z.string().min(1)).min(1),
    /** Schedule questions: the exact set of "courseId/sessionId" the reply must return. */
    sessions: z.array(z.string()).optional(),
    now: z.string().optional(),
    course: z.string().optional(),
    /** The language the (last) reply must be in ("in Japanese please"). */
    replyLang: z.string().refine(isLang, 'must be one of en, ja, id, vi, th, tl, tr, fa').optional(),
  })
  .refine((q) => (q.text === undefined) !== (q.turns === undefined), 'give either "text" or "turns"');

export type Question = Omit<z.infer<typeof questionSchema>, 'lang' | 'text' | 'turns'> & {
  lang: Lang;
  /** The text scored: the question, or a conversation's last turn. */
  text: string;
  /** The turns sent before `text`, in order (follow-up items). */
  before: string[];
  /** A two-turn (or longer) item: scored in its own column. */
  followUp: boolean;
  source: string;
  /** From a `conv-*.jsonl` file: conversation as people write it, scored apart from the FAQ. */
  conversation: boolean;
};

/** Files named `conv-*.jsonl` hold conversation items (chatty schedule questions, small talk, help). */
export function isConversationFile(file: string): boolean {
  return /(^|[\\/])conv-[^\\/]*\.jsonl$/.test(file);
}

/** Reads a .jsonl file, or every .jsonl file in a folder; a bad line throws with file and line number. */
export function readQuestionSet(path: string): Question[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const out: Question[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          throw new Error(`${file}:${i + 1}: not valid JSON`);
        }
        const parsed = questionSchema.safeParse(raw);
        if (!parsed.success)
          throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
        const { text, turns, ...rest } = parsed.data;
        const all = turns ? turns.map((t) => t.text) : [text ?? ''];
        out.push({
          ...rest,
          text: all.at(-1) ?? '',
          before: all.slice(0, -1),
          followUp: turns !== undefined,
          lang: parsed.data.lang as Lang,
          source: `${file}:${i + 1}`,
          conversation: isConversationFile(file),
        });
      });
  }
  return out;
}

/** A question scored on the intent alone: every expectation is "intent:NAME" or "not:NAME". */
export function isIntentQuestion(q: Question): boolean {
  return q.expect.every((e) => e.startsWith('intent:') || e.startsWith('not:'));
}

export function isOutOfScope(q: Question): boolean {
  return q.expect.includes('fallback');
}
