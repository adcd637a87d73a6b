/**
 * Slack's text markup, both ways: incoming `<@U…>`, `<!here>`, `<url|label>` and entities become plain
 * text for the assistant; outgoing text is escaped so nothing a user typed can mention, link or notify.
 */
import { sanitizeText } from '../../core/text.js';

/** Escapes Slack's three control characters (`&`, `<`, `>`), so text shows exactly as typed. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// A Map: `<!constructor>` must not reach Object.prototype.
const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['here', '@here'],
  ['channel', '@channel'],
  ['everyone', '@everyone'],
]);

function plainToken(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return label ? `@${label}` : target;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!')) {
    const name = target.slice(1).split('^')[0] ?? '';
    return SPECIAL.get(name) ?? label ?? '';
  }
  return label ?? target.replace(/^mailto:/, '');
}

/**
 * Slack message text → plain text: removes the mention of the bot itself, turns other mentions,
 * channel links and links into their readable names, and decodes `&amp;`, `&lt;`, `&gt;`.
 */
export function slackToPlain(text: string, botUserId?: string): string {
  let out = text;
  if (botUserId) {
    const id = botUserId.replace(/[^A-Za-z0-9]/g, '');
    out = out.replace(new RegExp(`<@${id}(?:\\|[^>]*)?>`, 'g'), ' ');
  }
  out = out.replace(/<([^<>]*)>/g, (_, inner: string) => plainToken(inner));
  return unescapeSlack(out)
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** True when the text mentions the given user (`<@U123>` or `<@U123|name>`). */
export function mentions(text: string, userId: string | undefined): boolean {
  return userId !== undefined && (text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`));
}

const BOLD = '\u0001';
const WORD = /[\p{L}\p{N}]/u;

// Private-use marks around the number of a protected user word while the Markdown is converted.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKUP = /[[\]()*_~`>#|:!<&-]/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The user's own words quoted in `md` (e.g. an unknown language name) are set aside before the
 * conversion and put back escaped after it, so `[click](https://…)` typed by a user stays text.
 * Only words holding both markup and a letter or digit count, so the knowledge base's own `**` or
 * `-` are never taken for an echo.
 */
function protectEchoes(md: string, typed: string): { text: string; restore: (s: string) => string } {
  const words = [...new Set(typed.split(/\s+/u))]
    .filter((w) => MARKUP.test(w) && LETTER_OR_DIGIT.test(w))
    .sort((a, b) => b.length - a.length);
  let text = md.replace(/[\uE000\uE001]/g, '');
  const kept: string[] = [];
  for (const word of words) {
    if (!text.includes(word)) continue;
    text = text.split(word).join(`${OPEN}${kept.length}${CLOSE}`);
    kept.push(word);
  }
  const restore = (s: string): string =>
    kept.length === 0
      ? s
      : s.replace(/\uE000(\d+)\uE001/g, (_, i: string) => escapeSlack(kept[Number(i)] ?? ''));
  return { text, restore };
}

/**
 * The knowledge base's light Markdown → Slack mrkdwn, escaped first: `**bold**` → `*bold*`,
 * `*it*` → `_it_`, `[label](https://…)` → `<https://…|label>`, headings → bold lines, `-` → `•`.
 * Words of `userText` quoted in `md` are never converted, only escaped.
 */
export function markdownToMrkdwn(md: string, userText = ''): string {
  const typed = sanitizeText(userText);
  const echoes = protectEchoes(md, typed);
  return echoes.restore(convert(echoes.text, escapeSlack(typed)));
}

function convert(md: string, typed: string): string {
  let s = escapeSlack(md);
  s = s.replace(
    /\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^)\s]+)\)/g,
    (match: string, label: string, url: string) =>
      // A masked link the user typed (trimmed or cut by the reply) stays text.
      typed.includes(`](${url}`) ? match : `<${url}|${label.replace(/\|/g, '¦')}>`,
  );
  s = s.replace(/^(\s*)[-*+]\s+/gm, '$1• ');
  s = s.replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`);
  s = s.replace(/\*\*(.+?)\*\*/g, `${BOLD}$1${BOLD}`);
  s = s.replace(/__(.+?)__/g, `${BOLD}$1${BOLD}`);
  s = s.replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=[\s).,!?]|$)/gm, '$1_$2_');
  // Slack only renders *bold* at word edges; a zero-width space makes an edge next to CJK or Thai text.
  return s.replace(
    new RegExp(`${BOLD}(.+?)${BOLD}`, 'g'),
    (_, inner: string, offset: number, all: string) => {
      const before = all[offset - 1] ?? '';
      const after = all[offset + inner.length + 2] ?? '';
      return `${WORD.test(before) ? '\u200B' : ''}*${inner}*${WORD.test(after) ? '\u200B' : ''}`;
    },
  );
}

/**
 * Splits text into pieces of at most `max` characters, preferring paragraph, line and word breaks,
 * and never cutting an entity (`&amp;`) or a surrogate pair in two.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('\n\n'), -1);
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) {
      cut = max;
      const amp = window.lastIndexOf('&');
      if (amp > max - 6 && !window.slice(amp).includes(';')) cut = amp;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Cuts text to `max` characters with an ellipsis (button labels, headers). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
