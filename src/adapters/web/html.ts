/** Escaping for server-rendered HTML: every piece of text goes through `esc` (or `html` does it). */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for an HTML element or a quoted attribute. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Markup already built from escaped parts. */
export class Safe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Safe | undefined | false | readonly Part[];

function show(part: Part): string {
  if (part === undefined || part === false) return '';
  if (part instanceof Safe) return part.value;
  if (Array.isArray(part)) return part.map(show).join('');
  return esc(part as string | number);
}

/** A template tag: interpolated strings are escaped, `Safe` parts and lists of them are not. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Safe {
  let out = strings[0] ?? '';
  for (const [i, part] of parts.entries()) out += show(part) + (strings[i + 1] ?? '');
  return new Safe(out);
}
