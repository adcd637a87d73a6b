/**
 * Interactions (slash commands, buttons, the language menu) → what to do with them, and how to
 * answer one: ephemeral by default, deferred when the answer takes longer than two seconds.
 */
import {
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  type MessageMentionOptions,
  type RepliableInteraction,
} from 'discord.js';
import { DEFAULT_LANG, type Lang, normalizeLocale } from '../../core/languages.js';
import type { IncomingMessage, UserAction } from '../../core/message.js';
import { type CommandName, OPTION_NAMES } from './commands.js';
import { decodeAction, decodeLanguageChoice, LANGUAGE_MENU_ID } from './custom-id.js';
import { discordActor } from './modal-parts.js';
import type { DiscordMessagePayload } from './render.js';

/** Discord drops an interaction not answered within three seconds; deferring at two leaves a margin. */
export const DEFER_AFTER_MS = 2000;

/** No text the bot sends may ping anyone: not @everyone, @here, roles, users, nor the replied-to user. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

/** A notice the adapter answers itself, from its `discord` namespace. */
export type NoticeKey = 'staleAction' | 'unknownCommand';

export type InteractionPlan =
  | { kind: 'assistant'; message: IncomingMessage; ephemeral: boolean }
  | { kind: 'notice'; key: NoticeKey; lang: Lang; vars: Record<string, string>; ephemeral: boolean }
  | { kind: 'ignore' };

/** Decides what an interaction asks for; the assistant answers everything but the placeholders. */
export function planInteraction(interaction: Interaction): InteractionPlan {
  const localeHint = interaction.locale;
  const lang = normalizeLocale(localeHint) ?? DEFAULT_LANG;
  const groups = discordActor(interaction).groups ?? [];
  const toAssistant = (text: string, ephemeral: boolean, action?: UserAction): InteractionPlan => ({
    kind: 'assistant',
    ephemeral,
    message: {
      platform: 'discord',
      userId: interaction.user.id,
      ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
      text,
      localeHint,
      direct: true,
      ...(action ? { action } : {}),
      // The member's role ids and names: the assistant decides who is a coordinator (the Close button).
      ...(groups.length > 0 ? { groups } : {}),
    },
  });
  const notice = (key: NoticeKey, vars: Record<string, string> = {}): InteractionPlan => ({
    kind: 'notice',
    key,
    lang,
    vars,
    ephemeral: true,
  });

  if (interaction.isChatInputCommand()) {
    const name = interaction.commandName as CommandName;
    switch (name) {
      case 'ask':
        return toAssistant(interaction.options.getString(OPTION_NAMES.ask, true), true);
      case 'language': {
        const code = interaction.options.getString(OPTION_NAMES.language);
        return toAssistant(code ? `/lang ${code}` : '/lang', true);
      }
      case 'course': {
        const id = interaction.options.getString(OPTION_NAMES.course)?.trim();
        return toAssistant(id ? `/course ${id}` : '/course', true);
      }
      // `/visit` and `/announce` open a modal before any plan is made (visit-modal.ts, announce-modal.ts).
      default:
        return notice('unknownCommand');
    }
  }
  // A click answers only the person who clicked: privately in a server, normally in a DM.
  const privately = interaction.inGuild();
  if (interaction.isButton()) {
    const action = decodeAction(interaction.customId);
    return action ? toAssistant('', privately, action) : notice('staleAction');
  }
  if (interaction.isStringSelectMenu()) {
    const action =
      interaction.customId === LANGUAGE_MENU_ID ? decodeLanguageChoice(interaction.values) : undefined;
    return action ? toAssistant('', privately, action) : notice('staleAction');
  }
  return { kind: 'ignore' };
}

/**
 * Answers an interaction with the rendered messages. When they are not ready within
 * `deferAfterMs`, the interaction is deferred first and the answer then edited in.
 */
export async function respond(
  interaction: RepliableInteraction,
  produce: Promise<DiscordMessagePayload[]>,
  options: { ephemeral: boolean; deferAfterMs?: number },
): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), options.deferAfterMs ?? DEFER_AFTER_MS);
  });
  let payloads: DiscordMessagePayload[];
  try {
    const first = await Promise.race([produce, late]);
    if (first === 'late') {
      await interaction.deferReply(flags ? { flags } : {});
      payloads = await produce;
    } else {
      payloads = first;
    }
  } finally {
    clearTimeout(timer);
  }
  const [head, ...rest] = payloads;
  if (!head) return;
  if (interaction.deferred) await interaction.editReply(toOptions(head));
  else await interaction.reply({ ...toOptions(head), ...(flags ? { flags } : {}) });
  for (const payload of rest) {
    await interaction.followUp({ ...toOptions(payload), ...(flags ? { flags } : {}) });
  }
}

/** Message options for discord.js, with mentions always off. */
export function toOptions(payload: DiscordMessagePayload) {
  return {
    embeds: payload.embeds,
    components: payload.components,
    ...(payload.files.length > 0 ? { files: payload.files } : {}),
    allowedMentions: NO_MENTIONS,
  } satisfies InteractionReplyOptions;
}
