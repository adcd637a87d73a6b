import { AUTONYMS, LANGUAGES, type Lang, parseLanguageName } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { Store } from '../../stores/store.js';
import { languageName, makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

/** Command words that introduce a language choice: "language ja", "/lang id", "bahasa indonesia". */
const EXPLICIT = /^\/?(?:languages|language|locale|lang)\b(?:\s*[:=]?\s*(.*))?$/iu;
const NATIVE = /^(?:bahasa|言語|ngôn ngữ|ngon ngu|ภาษา|wika|dil|زبان)\s*[:=]?\s*(.+)$/iu;

export type LanguageCommand =
  | { kind: 'set'; lang: Lang }
  | { kind: 'pick' }
  | { kind: 'unknown'; input: string };

/** Recognises a language command; native-word forms count only when they name a language. */
export function parseLanguageCommand(text: string): LanguageCommand | undefined {
  const cleaned = text.trim().replace(/[!?.。！？]+$/u, '');
  const explicit = EXPLICIT.exec(cleaned);
  if (explicit) {
    const arg = explicit[1]?.trim();
    if (!arg) return { kind: 'pick' };
    const lang = parseLanguageName(arg);
    return lang ? { kind: 'set', lang } : { kind: 'unknown', input: arg };
  }
  const native = NATIVE.exec(cleaned);
  if (native?.[1]) {
    const lang = parseLanguageName(native[1]) ?? parseLanguageName(cleaned);
    if (lang) return { kind: 'set', lang };
  }
  if (/^(?:bahasa|言語|ngôn ngữ|ภาษา|wika|dil|زبان)$/iu.test(cleaned)) return { kind: 'pick' };
  return undefined;
}

/** Switches the user's language (sticky, stored) or shows a picker. */
export function languageHandler(store: Store, i18n: I18nService) {
  const confirm = async (userKey: string, lang: Lang): Promise<Reply> => {
    await store.updateUser(userKey, { lang });
    return makeReply({
      intent: 'language',
      lang,
      text: i18n.t(lang)('language.changed', { language: languageName(lang, lang) }),
    });
  };
  const picker = (turn: Turn, text: string): Reply =>
    makeReply({
      intent: 'language',
      lang: turn.lang,
      text,
      buttons: LANGUAGES.map((l) => ({ label: AUTONYMS[l], action: { type: 'language' as const, lang: l } })),
    });
  return {
    intent: 'language',
    match: (turn: Turn) =>
      turn.msg.action?.type === 'language' || parseLanguageCommand(turn.text) !== undefined,
    async handle(turn: Turn): Promise<Reply> {
      if (turn.msg.action?.type === 'language') return confirm(turn.userKey, turn.msg.action.lang);
      const cmd = parseLanguageCommand(turn.text);
      if (cmd?.kind === 'set') return confirm(turn.userKey, cmd.lang);
      if (cmd?.kind === 'unknown') {
        const languages = LANGUAGES.map((l) => AUTONYMS[l]).join(', ');
        return picker(turn, turn.t('language.unknown', { input: cmd.input, languages }));
      }
      return picker(turn, turn.t('language.pick'));
    },
  } satisfies IntentHandler;
}
