/**
 * Picks the reply language once per turn: an explicit choice for this message, then a clear
 * detection of the message, then the user's stored choice, their last clearly detected language,
 * the platform's locale, a weak detection, and English.
 */
import { DEFAULT_LANG, type Lang, normalizeLocale } from '../core/languages.js';
import type { IncomingMessage } from '../core/message.js';
import type { UserPrefs } from '../stores/store.js';
import type { Detection } from './language-detection.js';

export function resolveLanguage(msg: IncomingMessage, detection: Detection, prefs: UserPrefs): Lang {
  if (msg.lang) return msg.lang;
  if (detection.confident && detection.lang) return detection.lang;
  return (
    prefs.lang ?? prefs.detectedLang ?? normalizeLocale(msg.localeHint) ?? detection.lang ?? DEFAULT_LANG
  );
}
