/**
 * The neutral `Reply` as Discord messages: embeds (split at Discord's limits), buttons for "did you
 * mean" suggestions and the reply's own buttons, a language select menu, and the attachment.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIStringSelectComponent,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import { AUTONYMS, LANGUAGES } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import { sanitizeText } from '../../core/text.js';
import type { Translator } from '../../i18n/i18n.js';
import { encodeAction, LANGUAGE_MENU_ID } from './custom-id.js';

/** Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  title: 256,
  description: 4096,
  footer: 2048,
  /** Sum of every embed's text in one message. */
  embedTotal: 6000,
  embedsPerMessage: 10,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  selectPlaceholder: 150,
} as const;

const COLOR = 0x1f4e9c;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One Discord message, ready for `channel.send`, `interaction.reply` or `followUp`. */
export interface DiscordMessagePayload {
  embeds: APIEmbed[];
  components: ActionRow[];
  files: AttachmentPayload[];
}

export interface RenderOptions {
  /** The `discord` namespace translator for the reply's language. */
  t: Translator;
  /** What the user typed: any of it echoed in the reply is shown with its markdown escaped. */
  userText?: string;
}

/** Renders a reply as one or more messages; components and the attachment go on the last one. */
export function renderReply(reply: Reply, options: RenderOptions): DiscordMessagePayload[] {
  const clean = (s: string): string =>
    neutralizeMentions(escapeEchoes(s, [options.userText, reply.quoted].filter(Boolean).join('\n')));
  const title = reply.title ? truncate(clean(reply.title), LIMITS.title) : undefined;
  const footer = reply.notes.length > 0 ? truncate(clean(reply.notes.join(' · ')), LIMITS.footer) : undefined;
  const chunks = splitText(clean(reply.text), LIMITS.description);
  const embeds: APIEmbed[] = chunks.map((description, i) => ({
    color: COLOR,
    ...(i === 0 && title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(i === chunks.length - 1 && footer ? { footer: { text: footer } } : {}),
  }));
  const messages = packEmbeds(embeds).map((group) => ({
    embeds: group,
    components: [] as ActionRow[],
    files: [] as AttachmentPayload[],
  }));
  const last = messages[messages.length - 1];
  if (last) {
    last.components = renderComponents(reply, options.t);
    if (reply.attachment) {
      last.files = [
        { attachment: Buffer.from(reply.attachment.content, 'utf8'), name: reply.attachment.filename },
      ];
    }
  }
  return messages;
}

/** A short message of the adapter's own (e.g. "not available yet"), as one embed. */
export function renderNotice(text: string): DiscordMessagePayload {
  return {
    embeds: [{ color: COLOR, description: truncate(neutralizeMentions(text), LIMITS.description) }],
    components: [],
    files: [],
  };
}

/** Suggestion and action buttons (five per row), then the language menu on a row of its own. */
export function renderComponents(reply: Reply, t: Translator): ActionRow[] {
  const buttons: APIButtonComponent[] = [];
  const seen = new Set<string>();
  const add = (label: string, action: Parameters<typeof encodeAction>[0], style: ButtonStyle): void => {
    const customId = encodeAction(action);
    if (!customId || seen.has(customId)) return;
    seen.add(customId);
    buttons.push({
      type: ComponentType.Button,
      style,
      custom_id: customId,
      label: truncate(neutralizeMentions(label), LIMITS.buttonLabel),
    } as APIButtonComponent);
  };
  for (const s of reply.suggestions) add(s.title, { type: 'faq', entryId: s.entryId }, ButtonStyle.Secondary);
  // Language buttons become the select menu below: one menu instead of eight buttons.
  for (const b of reply.buttons)
    if (b.action.type !== 'language') add(b.label, b.action, ButtonStyle.Primary);

  const rows: ActionRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows - 1; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: LANGUAGE_MENU_ID,
    placeholder: truncate(t('languagePlaceholder'), LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options: LANGUAGES.map((lang) => ({ label: AUTONYMS[lang], value: lang, default: lang === reply.lang })),
  };
  rows.push({ type: ComponentType.ActionRow, components: [menu] });
  return rows;
}

/** Splits text at paragraph, line, then word boundaries so that no piece exceeds `max`. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep, max);
      if (at > max / 2) {
        cut = at;
        break;
      }
    }
    if (cut < 0) cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/** Groups embeds into messages of at most ten embeds and 6000 characters of embed text. */
function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const n =
      (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    if (current.length > 0 && (current.length === LIMITS.embedsPerMessage || size + n > LIMITS.embedTotal)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += n;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Inserts a zero-width space so that @everyone, @here and <@id> can never read as mentions. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)\b/g, '@\u200b$1').replace(/<(@[!&]?|#)(\d+)>/g, '<$1\u200b$2>');
}

/**
 * Escapes Discord markdown in the parts of `text` that repeat the user's own words (a reply may
 * quote what was typed, e.g. an unknown language name), leaving the assistant's markdown intact.
 */
export function escapeEchoes(text: string, userText: string): string {
  // Only words the reply quotes: escapeMarkdown's patterns are slow on long words (a 20,000-character message).
  // The assistant quotes the cleaned text (invisible characters removed), so match against that.
  const typed = sanitizeText(userText);
  const tokens = [...new Set(typed.split(/\s+/))]
    .filter((w) => /[*_~`|>#[\]()\\-]/.test(w) && text.includes(w))
    .sort((a, b) => b.length - a.length);
  // A masked link the user typed stays text even when the reply quotes only part of a word.
  let out = text.replace(
    /(?<!\\)\[([^\]\n]*)\]\(<?([^)\s>]+)>?\)/g,
    (link: string, _label: string, url: string) =>
      typed.includes(`](${url}`) || typed.includes(`](<${url}`) ? link.replace(/[[\]()]/g, '\\$&') : link,
  );
  for (const token of tokens) {
    const escaped = escapeMarkdown(token, { heading: true, bulletedList: true, numberedList: true })
      .replace(/\[/g, '\\[')
      .replace(/\]/g, '\\]')
      .replace(/\(/g, '\\(')
      .replace(/\)/g, '\\)');
    if (escaped !== token) out = out.split(token).join(escaped);
  }
  return out;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
