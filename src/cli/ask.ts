/** `koban ask`: one question, or a JSON-lines conversation on stdin, through the real assistant. */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { isLang } from '../core/languages.js';
import type { IncomingMessage } from '../core/message.js';
import { replyToPlainText } from '../core/plain-text.js';
import { type Reply, suggestionsLabelKey } from '../core/reply.js';
import type { Runtime } from '../main.js';
import { parseLangOption, parseNow } from './args.js';

/** The stable JSON shape of a reply (later features add fields; these stay). */
export function replyToJson(reply: Reply, runtime: Runtime): Record<string, unknown> {
  const { intent, lang, entryId, confidence, suggestions } = reply;
  return {
    intent,
    lang,
    text: replyToPlainText(reply, runtime.i18n.t(lang)(suggestionsLabelKey(reply))),
    ...(entryId ? { entryId } : {}),
    confidence: confidence ?? (intent === 'faq' ? 1 : 0),
    suggestions: suggestions.map((s) => ({ entryId: s.entryId, title: s.title })),
    ...(reply.sessions ? { sessions: reply.sessions } : {}),
  };
}

export interface AskOptions {
  lang?: string | undefined;
  user?: string | undefined;
  now?: string | undefined;
}

export function toMessage(text: string, options: AskOptions): IncomingMessage {
  const lang = parseLangOption(options.lang);
  const now = parseNow(options.now);
  return {
    platform: 'cli',
    userId: options.user ?? 'cli',
    text,
    direct: true,
    ...(lang ? { lang } : {}),
    ...(now ? { now } : {}),
  };
}

const lineSchema = z.object({
  text: z.string(),
  lang: z.string().refine(isLang, 'must be one of en, ja, id, vi, th, tl, tr, fa').optional(),
  user: z.string().min(1).optional(),
  now: z.string().optional(),
});

/** Reads one JSON object per line and writes one JSON reply per line, in order. */
export async function askJsonl(
  runtime: Runtime,
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
): Promise<number> {
  let failures = 0;
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (raw.trim() === '') continue;
    let reply: Record<string, unknown>;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replace(/\n/g, ' '));
      reply = replyToJson(await runtime.assistant.handle(toMessage(parsed.data.text, parsed.data)), runtime);
    } catch (err) {
      failures++;
      reply = { error: `line ${n}: ${err instanceof Error ? err.message : String(err)}` };
    }
    write(JSON.stringify(reply));
  }
  return failures > 0 ? 1 : 0;
}
