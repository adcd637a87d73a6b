/**
 * Renders the neutral `Reply` as a Block Kit message: a header, the answer in sections (split at
 * Slack's limits), a context line for notes, buttons for "did you mean" suggestions and the reply's
 * own buttons, and "Share in channel" on ephemeral answers. `text` is the plain fallback that
 * notifications and screen readers use.
 */
import type { types } from '@slack/bolt';
import { markdownToPlain } from '../../core/plain-text.js';
import { type Reply, suggestionsLabelKey } from '../../core/reply.js';
import type { I18nService } from '../../i18n/i18n.js';
import { escapeSlack, markdownToMrkdwn, splitText, truncate } from './escape.js';
import type { ButtonValue, ShareValue } from './slack-events.js';

/** Slack's documented limits. */
export const LIMITS = {
  sectionText: 3000,
  blocks: 50,
  fallbackText: 40000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
} as const;

/** Every action id the adapter renders starts with this; the click listener matches it. */
export const ACTION_PREFIX = 'koban_';
export const SHARE_ACTION_ID = `${ACTION_PREFIX}share`;

export interface RenderOptions {
  /** Shown only to the asker (slash commands): offers "Share in channel" with this value. */
  share?: ShareValue;
  /** True for an ephemeral answer (files cannot be attached to one). */
  ephemeral?: boolean;
  /** The Slack user id of whoever shared this answer into the channel. */
  sharedBy?: string;
  /** What the user typed (as plain text): any of it quoted in the answer is escaped, never converted. */
  userText?: string;
}

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

function button(label: string, actionId: string, value: ButtonValue): types.Button | undefined {
  const json = JSON.stringify(value);
  if (json.length > LIMITS.buttonValue) return undefined;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(label, LIMITS.buttonText), emoji: true },
    value: json,
  };
}

function actionsBlocks(buttons: types.Button[]): types.ActionsBlock[] {
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  return blocks;
}

/** The value a "Share in channel" button carries, or undefined when it would not fit. */
export function shareValue(text: string, action?: ShareValue['action']): ShareValue | undefined {
  if (text.length > 1800) return undefined;
  return { type: 'share', text, ...(action ? { action } : {}) };
}

export function renderReply(reply: Reply, i18n: I18nService, options: RenderOptions = {}): SlackMessage {
  const t = i18n.t(reply.lang, 'slack');
  const common = i18n.t(reply.lang);
  const tail: types.KnownBlock[] = [];

  const notes = reply.notes.map((n) => escapeSlack(n));
  if (reply.attachment && options.ephemeral) {
    notes.push(escapeSlack(t('attachment.private', { filename: reply.attachment.filename })));
  }
  if (options.sharedBy) notes.push(t('share.sharedBy', { user: `<@${options.sharedBy}>` }));
  if (notes.length > 0) {
    tail.push({
      type: 'context',
      elements: notes
        .slice(0, LIMITS.contextElements)
        .map((n) => ({ type: 'mrkdwn', text: splitText(n, LIMITS.sectionText)[0] ?? '' })),
    });
  }

  const suggestionButtons = reply.suggestions.flatMap((s, i) => {
    const b = button(s.title, `${ACTION_PREFIX}faq_${i}`, { type: 'faq', entryId: s.entryId });
    return b ? [b] : [];
  });
  if (suggestionButtons.length > 0) {
    tail.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escapeSlack(common(suggestionsLabelKey(reply))) },
    });
    tail.push(...actionsBlocks(suggestionButtons));
  }
  const replyButtons = reply.buttons.flatMap((rb, i) => {
    const b = button(rb.label, `${ACTION_PREFIX}btn_${i}`, rb.action);
    return b ? [b] : [];
  });
  tail.push(...actionsBlocks(replyButtons));
  if (options.share) {
    const share = button(t('share.button'), SHARE_ACTION_ID, options.share);
    if (share) tail.push({ type: 'actions', elements: [share] });
  }

  const head: types.KnownBlock[] = [];
  if (reply.title) {
    head.push({
      type: 'header',
      text: { type: 'plain_text', text: truncate(reply.title, LIMITS.headerText) },
    });
  }
  const room = Math.max(1, LIMITS.blocks - head.length - tail.length);
  let sections = splitText(
    markdownToMrkdwn(reply.text, [options.userText, reply.quoted].filter(Boolean).join('\n')),
    LIMITS.sectionText,
  ).filter((s) => s.trim() !== '');
  if (sections.length > room) {
    sections = sections.slice(0, room);
    const last = sections[room - 1] ?? '';
    sections[room - 1] = `${last.slice(0, LIMITS.sectionText - 1)}…`;
  }
  const body: types.KnownBlock[] = sections.map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
  const blocks = [...head, ...body, ...tail].slice(0, LIMITS.blocks);

  const plain = [reply.title, markdownToPlain(reply.text), ...reply.notes].filter(Boolean).join('\n\n');
  const text = splitText(escapeSlack(plain), LIMITS.fallbackText)[0] ?? '';
  return { text, blocks };
}

/** A short message with no buttons (errors, "not available yet"). */
export function renderNotice(text: string): SlackMessage {
  const escaped = escapeSlack(text);
  return { text: escaped, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escaped } }] };
}
