/** Field errors in the user's language (locales/<lang>/visits.json). */
import type { Translator } from '../../i18n/i18n.js';
import type { FieldError } from './request.js';

/** `t` is the `visits` namespace translator of the user's language. */
export function fieldErrorMessage(error: FieldError, t: Translator): string {
  const fieldKey = `fields.${error.field}`;
  const field = t(fieldKey) === fieldKey ? error.field : t(fieldKey);
  return t(`errors.${error.code}`, { ...error.params, field });
}

export function localizeErrors(
  errors: FieldError[],
  t: Translator,
): Array<{ field: string; message: string }> {
  return errors.map((e) => ({ field: e.field, message: fieldErrorMessage(e, t) }));
}
