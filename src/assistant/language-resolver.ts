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

/**
 * `resolveLanguage`, first asking the platform for the user's locale (`msg.localeLookup`) when the
 * message carries none and the choice comes down to it: the same language as with the hint given
 * up front, without a look-up for a message that says its language or a user with a stored one.
 */
export async function resolveLanguageWithLookup(
  msg: IncomingMessage,
  detection: Detection,
  prefs: UserPrefs,
): Promise<Lang> {
  const needsLocale =
    msg.localeHint === undefined &&
    msg.localeLookup !== undefined &&
    !msg.lang &&
    !(detection.confident && detection.lang) &&
    !prefs.lang &&
    !prefs.detectedLang;
  if (!needsLocale || !msg.localeLookup) return resolveLanguage(msg, detection, prefs);
  const localeHint = await msg.localeLookup();
  return resolveLanguage(localeHint ? { ...msg, localeHint } : msg, detection, prefs);
}
