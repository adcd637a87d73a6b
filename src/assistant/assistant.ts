/**
 * The one assistant every adapter talks to: cleans the text, resolves the language, picks the
 * intent and calls its handler. It never throws: any failure becomes a polite localized reply.
 */
import type { IncomingMessage } from '../core/message.js';
import type { Reply } from '../core/reply.js';
import { hasWordCharacters, sanitizeText } from '../core/text.js';
import type { KnowledgeService } from '../engines/knowledge/knowledge-service.js';
import type { I18nService } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { Store } from '../stores/store.js';
import type { UnansweredLog } from '../stores/unanswered-log.js';
import { fallbackReply, inputProblemReply } from './handlers/fallback.js';
import { answerReply, faqHandler } from './handlers/faq.js';
import { helpHandler } from './handlers/help.js';
import { languageHandler } from './handlers/language.js';
import { smalltalkHandler } from './handlers/smalltalk.js';
import { detectLanguage } from './language-detection.js';
import { resolveLanguageWithLookup } from './language-resolver.js';
import { makeReply } from './reply-builder.js';
import { smalltalkMatcherFor } from './smalltalk-match.js';
import type { IntentHandler, Turn } from './turn.js';

/** Longer questions get "please shorten your question". */
export const MAX_QUESTION_LENGTH = 2000;

export interface AssistantDeps {
  knowledge: KnowledgeService;
  i18n: I18nService;
  store: Store;
  unanswered: UnansweredLog;
  logger: Logger;
  clock?: () => Date;
  /** Handlers for intents added by features (schedule, visit, announce), tried before the FAQ. */
  extraHandlers?: IntentHandler[];
  /** Handlers tried before all others: a form in progress takes every message (visit). */
  firstHandlers?: IntentHandler[];
  /** The FAQ entry answered last in the user's fresh conversation context, if any (the FAQ handler's guess check). */
  lastFaqEntry?: (turn: Turn) => Promise<string | undefined>;
  /** Runs after each answered turn (the conversation context); must not throw. */
  afterTurn?: (turn: Turn, reply: Reply) => Promise<void>;
}

export class Assistant {
  private readonly handlers: IntentHandler[];
  private readonly clock: () => Date;
  /** Each user's store work still running after a reply, chained: the user's next turn waits for it. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly deps: AssistantDeps) {
    this.clock = deps.clock ?? (() => new Date());
    const smalltalk = (text: string) => smalltalkMatcherFor(deps.knowledge.kb).match(text);
    this.handlers = [
      ...(deps.firstHandlers ?? []),
      languageHandler(deps.store, deps.i18n),
      // A schedule question with a day or a session wins over the greeting around it.
      ...(deps.extraHandlers ?? []).flatMap((h) =>
        h.claims ? [{ intent: h.intent, match: h.claims.bind(h), handle: h.handle.bind(h) }] : [],
      ),
      helpHandler(smalltalk),
      smalltalkHandler(smalltalk, () => deps.knowledge.kb),
      ...(deps.extraHandlers ?? []),
      faqHandler(deps.knowledge, deps.unanswered, deps.lastFaqEntry),
    ];
  }

  async handle(msg: IncomingMessage): Promise<Reply> {
    const userKey = `${msg.platform}:${msg.userId}`;
    let turn: Turn | undefined;
    try {
      turn = await this.begin(msg, userKey);
      const current = turn;
      const reply = await this.route(current);
      const afterTurn = this.deps.afterTurn;
      if (afterTurn) this.after(userKey, () => afterTurn(current, reply));
      return reply;
    } catch (err) {
      // User ids reach the operator's log only when debugging (privacy, issue 11).
      const who = this.deps.logger.isLevelEnabled('debug') ? { user: userKey } : {};
      this.deps.logger.error({ err, ...who, platform: msg.platform }, 'turn failed');
      const lang = turn?.lang ?? msg.lang ?? 'en';
      return makeReply({ intent: 'fallback', lang, text: this.deps.i18n.t(lang)('errors.internal') });
    }
  }

  /** Resolves once every user's after-turn work (the conversation context) is stored: call before closing the store. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()]);
  }

  /**
   * Runs a turn's store work (the detected language, `afterTurn`) once the reply is out (on the next
   * macrotask, so the reply is not held up by it), after the user's earlier work; `begin` makes the
   * user's next turn wait for it, so that turn always sees what this one stored.
   */
  private after(userKey: string, work: () => Promise<void>): void {
    const job = (this.pending.get(userKey) ?? Promise.resolve())
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(work)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'after-turn work failed'))
      .finally(() => {
        if (this.pending.get(userKey) === job) this.pending.delete(userKey);
      });
    this.pending.set(userKey, job);
  }

  /**
   * A short notice of the edge's own (a rate limit), in the language this message's turn would be
   * answered in; nothing is stored and no handler runs.
   */
  async notice(msg: IncomingMessage, key: string, values: Record<string, unknown> = {}): Promise<Reply> {
    let lang = msg.lang ?? 'en';
    try {
      const text = sanitizeText(msg.text ?? '');
      const prefs = await this.deps.store.getUser(`${msg.platform}:${msg.userId}`);
      const hints = this.deps.knowledge.kb.languageHints;
      lang = await resolveLanguageWithLookup(
        msg,
        detectLanguage(text.slice(0, MAX_QUESTION_LENGTH), hints),
        prefs,
      );
    } catch (err) {
      this.deps.logger.warn(
        { err, platform: msg.platform },
        'notice language not resolved; using the default',
      );
    }
    return makeReply({ intent: 'fallback', lang, text: this.deps.i18n.t(lang)(key, values) });
  }

  private async begin(msg: IncomingMessage, userKey: string): Promise<Turn> {
    // A menu button sends its text as if the user had typed it.
    const text = sanitizeText(msg.action?.type === 'say' ? msg.action.text : (msg.text ?? ''));
    const earlier = this.pending.get(userKey);
    if (earlier) await earlier;
    const prefs = await this.deps.store.getUser(userKey);
    const detection = detectLanguage(
      text.slice(0, MAX_QUESTION_LENGTH),
      this.deps.knowledge.kb.languageHints,
    );
    const small = smalltalkMatcherFor(this.deps.knowledge.kb).match(text);
    // A greeting in a language other than English says which language the user speaks.
    const effective = small?.lang && !detection.confident ? { lang: small.lang, confident: true } : detection;
    const lang = await resolveLanguageWithLookup(msg, effective, prefs);
    if (effective.confident && effective.lang && effective.lang !== prefs.detectedLang) {
      // Stored after the reply (this turn already uses it); the user's next turn waits for it.
      const detectedLang = effective.lang;
      this.after(userKey, () => this.deps.store.updateUser(userKey, { detectedLang }));
    }
    return { msg, text, lang, t: this.deps.i18n.t(lang), userKey, prefs, now: msg.now ?? this.clock() };
  }

  private async route(turn: Turn): Promise<Reply> {
    const action = turn.msg.action;
    if (action?.type === 'faq') {
      const match = this.deps.knowledge.faq.show(action.entryId, turn.lang);
      return match ? answerReply(turn, match) : fallbackReply(turn);
    }
    if (!action || action.type === 'say') {
      if (turn.text.length > MAX_QUESTION_LENGTH) {
        return inputProblemReply(turn, 'fallback.tooLong', {
          length: turn.text.length,
          max: MAX_QUESTION_LENGTH,
        });
      }
      if (turn.text.length === 0) return inputProblemReply(turn, 'fallback.empty');
      if (!hasWordCharacters(turn.text)) return inputProblemReply(turn, 'fallback.noText');
    }
    for (const handler of this.handlers) {
      if (await handler.match(turn)) return await handler.handle(turn);
    }
    return fallbackReply(turn);
  }
}
