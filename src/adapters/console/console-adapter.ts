/**
 * The console chat, the embedded default: one reply per input line, in order, from a terminal or
 * a pipe. Typing the number of a suggestion or button picks it.
 */
import { userInfo } from 'node:os';
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
  userId?: string;
}

/** Renders a reply for a terminal, numbering what the user can pick. */
export function renderForConsole(reply: Reply, i18n: I18nService): { text: string; choices: UserAction[] } {
  const t = i18n.t(reply.lang);
  const choices: UserAction[] = [
    ...reply.suggestions.map((s) => ({ type: 'faq' as const, entryId: s.entryId })),
    ...reply.buttons.map((b) => b.action),
  ];
  let text = replyToPlainText({ ...reply, buttons: [] }, t(suggestionsLabelKey(reply)));
  if (reply.buttons.length > 0) {
    const offset = reply.suggestions.length;
    text += `\n\n${reply.buttons.map((b, i) => `[${offset + i + 1}] ${b.label}`).join('  ')}`;
  }
  return { text, choices };
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
    const userId = this.options.userId ?? userInfo().username;
    let choices: UserAction[] = [];
    const prompt = (): void => {
      if (interactive) rl.prompt();
    };
    rl.setPrompt('> ');
    this.finished = (async () => {
      prompt();
      for await (const line of rl) {
        const pick = /^\s*(\d{1,2})\s*$/.exec(line);
        const action = pick ? choices[Number(pick[1]) - 1] : undefined;
        const reply = await this.options.assistant.handle({
          platform: 'console',
          userId,
          text: action ? '' : line,
          direct: true,
          ...(action ? { action } : {}),
        });
        const rendered = renderForConsole(reply, this.options.i18n);
        choices = rendered.choices;
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
