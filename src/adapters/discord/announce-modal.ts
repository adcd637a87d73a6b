/**
 * `/announce` as a Discord modal (five text inputs: audience kind, its value, when, the text's
 * language, the text). A coordinator's submission comes back as a private preview (targets and
 * languages, from the service's dry run) with Confirm and Cancel, or as a list of problems with a
 * button that reopens the modal with the values kept. Anyone else is refused (and audited).
 * Validation is `AnnounceForms`'s, through the service's own schema.
 */
import {
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import {
  ANNOUNCE_FIELDS,
  type AnnounceField,
  type AnnounceValues,
  numberedKinds,
  previewButtons,
} from '../../assistant/announce-form.js';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import type { ReplyForm } from '../../core/reply.js';
import type { Runtime } from '../../main.js';
import { NAMESPACE } from './commands.js';
import { NO_MENTIONS, toOptions } from './interactions.js';
import { cut, discordActor, interactionLang, textInputRow } from './modal-parts.js';
import { type DiscordMessagePayload, renderNotice } from './render.js';

const FORM_ID = 'koban:announce-form';
const FIX_ID = 'koban:announce-fix';
const SEND = 'koban:announce-send:';
const DROP = 'koban:announce-drop:';
const DRAFT = /^[0-9a-f]{12}$/;
/** Values typed so far are forgotten after this long. */
const KEEP_MS = 60 * 60 * 1000;

export type AnnounceModalRuntime = Pick<Runtime, 'i18n' | 'store' | 'announceForms'>;

/** The modal: one text input per field, the values typed before kept. */
export function renderAnnounceModal(
  form: ReplyForm,
  typed: AnnounceValues,
  hints: Partial<Record<AnnounceField, string>>,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: FORM_ID,
    title: cut(form.title, 45),
    components: form.fields.map((f) => {
      const max = f.kind === 'long' ? 3000 : 200;
      return textInputRow(
        f,
        max,
        typed[f.name as AnnounceField] ?? f.value,
        hints[f.name as AnnounceField] ?? f.hint,
      );
    }),
  };
}

export class DiscordAnnounceModals {
  private readonly typed = new Map<string, { values: AnnounceValues; at: number }>();

  constructor(
    private readonly runtime: AnnounceModalRuntime,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The work for `/announce`, its modal and its buttons; undefined when the interaction is not one
   * of these (decided before anything is done, so the caller can skip it).
   */
  route(interaction: Interaction): (() => Promise<void>) | undefined {
    if (interaction.isChatInputCommand() && interaction.commandName === 'announce') {
      return async () => {
        this.typed.delete(interaction.user.id);
        await this.open(interaction);
      };
    }
    if (interaction.isButton()) {
      const id = interaction.customId;
      if (id === FIX_ID) return () => this.open(interaction);
      const send = id.startsWith(SEND);
      if (!send && !id.startsWith(DROP)) return undefined;
      const draft = id.slice((send ? SEND : DROP).length);
      if (!DRAFT.test(draft)) return undefined;
      return async () => {
        const lang = await this.lang(interaction);
        const { announceForms } = this.runtime;
        const text = send
          ? (await announceForms.confirm(draft, discordActor(interaction), lang)).text
          : await announceForms.cancel(draft, discordActor(interaction), lang);
        await this.reply(interaction, renderNotice(text));
      };
    }
    if (interaction.isModalSubmit() && interaction.customId === FORM_ID)
      return () => this.submitted(interaction);
    return undefined;
  }

  /** The modal for a coordinator; a polite refusal (audited by the service) for anyone else. */
  private async open(interaction: Interaction & RepliableInteraction): Promise<void> {
    if (!('showModal' in interaction)) return;
    const lang = await this.lang(interaction);
    const { announceForms, i18n } = this.runtime;
    if (!(await announceForms.allowed(discordActor(interaction)))) {
      await this.reply(interaction, renderNotice(announceForms.refusal(lang)));
      return;
    }
    const t = i18n.t(lang, 'announcements');
    const kept = this.typed.get(interaction.user.id);
    const typed = kept && this.clock() - kept.at <= KEEP_MS ? kept.values : {};
    const modal = renderAnnounceModal(announceForms.open(lang), typed, {
      audienceKind: numberedKinds(t),
      lang: LANGUAGES.join(', '),
    });
    await interaction.showModal(modal);
  }

  private async submitted(interaction: Interaction & RepliableInteraction): Promise<void> {
    if (!interaction.isModalSubmit()) return;
    const lang = await this.lang(interaction);
    const values: AnnounceValues = {};
    for (const field of ANNOUNCE_FIELDS) {
      const entered = interaction.fields.fields.get(field);
      if (entered && 'value' in entered && typeof entered.value === 'string') values[field] = entered.value;
    }
    this.typed.set(interaction.user.id, { values, at: this.clock() });
    const { announceForms, i18n } = this.runtime;
    const actor = discordActor(interaction);
    if (!(await announceForms.allowed(actor))) {
      await this.reply(interaction, renderNotice(announceForms.refusal(lang)));
      return;
    }
    const result = await announceForms.preview(values, actor, lang);
    if (!result.ok) {
      const dt = i18n.t(lang, NAMESPACE);
      const lines = [dt('visit.problems'), ...result.errors.map((e) => `• ${e.message}`)];
      await this.reply(interaction, {
        ...renderNotice(lines.join('\n')),
        components: [this.row([[dt('visit.fix'), FIX_ID, ButtonStyle.Primary]])],
      });
      return;
    }
    this.typed.delete(interaction.user.id);
    const labels = previewButtons(i18n.t(lang, 'announcements'));
    await this.reply(interaction, {
      ...renderNotice(result.text),
      components: [
        this.row([
          [labels.confirm, `${SEND}${result.draftId}`, ButtonStyle.Success],
          [labels.cancel, `${DROP}${result.draftId}`, ButtonStyle.Danger],
        ]),
      ],
    });
  }

  private lang(interaction: Interaction): Promise<Lang> {
    return interactionLang(this.runtime.store, interaction);
  }

  private row(
    buttons: Array<
      [label: string, customId: string, style: ButtonStyle.Primary | ButtonStyle.Success | ButtonStyle.Danger]
    >,
  ): DiscordMessagePayload['components'][number] {
    return {
      type: ComponentType.ActionRow,
      components: buttons.map(([label, custom_id, style]) => ({
        type: ComponentType.Button,
        style,
        label: cut(label, 80),
        custom_id,
      })),
    };
  }

  private async reply(interaction: RepliableInteraction, payload: DiscordMessagePayload): Promise<void> {
    await interaction.reply({
      ...toOptions(payload),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  }
}
