/**
 * The console chat, the embedded default: one reply per input line, in order, from a terminal or
 * a pipe. Typing the number of a suggestion or button picks it.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Assistant } from '../../assistant/assistant.js';
import type { Adapter, StopOptions } from '../../core/adapter.js';
import type { UserAction } from '../../core/message.js';
import { replyToPlainText } from '../../core/plain-text.js';
import { type Reply, suggestionsLabelKey } from '../../core/reply.js';
import { settlesWithin } from '../../core/within.js';
import type { I18nService } from '../../i18n/i18n.js';

export interface ConsoleAdapterOptions {
  assistant: Assistant;
  i18n: I18nService;
  input?: Readable;
  output?: Writable;
  /** Where the banner goes: the terminal itself, or stderr when stdout is piped. */
  banner?: string;
  /** Default "local": the OS user name is personal data and is not recorded. */
  userId?: string;
}

/** Typed after an answer that asks "helpful?": good or bad, in English or the reply's language. */
const GOOD = /^\s*(?:good|yes|\+1|👍)\s*$/iu;
const BAD = /^\s*(?:bad|no|-1|👎)\s*$/iu;

/**
 * Renders a reply for a terminal, numbering what the user can pick. "Helpful? yes/no" buttons are
 * not numbered: the console asks for good or bad instead (`feedback` is the entry they are about).
 */
export function renderForConsole(
  reply: Reply,
  i18n: I18nService,
): { text: string; choices: UserAction[]; feedback?: string } {
  const t = i18n.t(reply.lang);
  const buttons = reply.buttons.filter((b) => b.action.type !== 'feedback');
  const rated = reply.buttons.find((b) => b.action.type === 'feedback')?.action;
  const choices: UserAction[] = [
    ...reply.suggestions.map((s) => ({ type: 'faq' as const, entryId: s.entryId })),
    ...buttons.map((b) => b.action),
  ];
  let text = replyToPlainText({ ...reply, buttons: [] }, t(suggestionsLabelKey(reply)));
  if (buttons.length > 0) {
    const offset = reply.suggestions.length;
    text += `\n\n${buttons.map((b, i) => `[${offset + i + 1}] ${b.label}`).join('  ')}`;
  }
  if (rated?.type === 'feedback') {
    text += `\n${t('conversation:feedback.console')}`;
    return { text, choices, feedback: rated.entryId };
  }
  return { text, choices };
}

/** The vote a typed line gives on the answer just shown, if it is one. */
export function consoleFeedback(line: string, entryId: string | undefined): UserAction | undefined {
  if (!entryId) return undefined;
  if (GOOD.test(line)) return { type: 'feedback', entryId, helpful: true };
  if (BAD.test(line)) return { type: 'feedback', entryId, helpful: false };
  return undefined;
}

export class ConsoleAdapter implements Adapter {
  readonly name = 'console';
  private readonly input: Readable;
  private readonly output: Writable;
  private finished: Promise<void> = Promise.resolve();
  private rl: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
  }

  /** Resolves when the input ends (Ctrl+D or end of the pipe). */
  get done(): Promise<void> {
    return this.finished;
  }

  async start(): Promise<void> {
    const interactive = 'isTTY' in this.input && Boolean((this.input as { isTTY?: boolean }).isTTY);
    const rl = createInterface({
      input: this.input,
      output: interactive ? this.output : undefined,
      terminal: interactive,
    });
    this.rl = rl;
    if (this.options.banner) this.output.write(`${this.options.banner}\n`);
    const userId = this.options.userId ?? 'local';
    let choices: UserAction[] = [];
    let rated: string | undefined;
    const prompt = (): void => {
      if (interactive) rl.prompt();
    };
    rl.setPrompt('> ');
    this.finished = (async () => {
      prompt();
      for await (const line of rl) {
        const pick = /^\s*(\d{1,2})\s*$/.exec(line);
        const action = pick ? choices[Number(pick[1]) - 1] : consoleFeedback(line, rated);
        const reply = await this.options.assistant.handle({
          platform: 'console',
          userId,
          text: action ? '' : line,
          direct: true,
          ...(action ? { action } : {}),
        });
        const rendered = renderForConsole(reply, this.options.i18n);
        choices = rendered.choices;
        rated = rendered.feedback;
        this.output.write(`${rendered.text}\n\n`);
        prompt();
      }
    })();
  }

  async stop(options: StopOptions = {}): Promise<void> {
    this.rl?.close();
    await settlesWithin(this.finished, options.graceMs ?? Number.POSITIVE_INFINITY);
  }
}
