/**
 * The visit form as Discord modals: five text inputs at most per modal, so the form comes in
 * steps; between steps an ephemeral message offers "Continue" (a modal cannot open another). The
 * values typed so far are kept per user until the request is sent; the last step submits through
 * `VisitForms`, and problems come back as a list with a button that reopens the step, values kept.
 */
import {
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { FormValues } from '../../assistant/visit-form.js';
import type { DecisionValues } from '../../assistant/visit-notices.js';
import type { Lang } from '../../core/languages.js';
import type { FormField, ReplyForm } from '../../core/reply.js';
import type { VisitField } from '../../engines/visits/request.js';
import type { DecisionKind } from '../../engines/visits/status.js';
import type { Runtime } from '../../main.js';
import { NAMESPACE } from './commands.js';
import { decodeAction } from './custom-id.js';
import { NO_MENTIONS, toOptions } from './interactions.js';
import { cut, discordActor, interactionLang, textInputRow } from './modal-parts.js';
import { type DiscordMessagePayload, renderNotice, renderReply } from './render.js';

/** The fields of each modal (Discord allows five inputs per modal). */
export const VISIT_STEPS: readonly (readonly VisitField[])[] = [
  ['organization', 'country', 'contactName', 'contactEmail', 'groupSize'],
  ['preferredDates', 'interests', 'language', 'interpreter'],
  ['needs', 'notes'],
];
const FORM_ID = 'koban:visit-form:';
const STEP_ID = 'koban:visit-step:';
/** Values typed so far are forgotten after this long without a step. */
const KEEP_MS = 60 * 60 * 1000;

export type VisitModalRuntime = Pick<Runtime, 'i18n' | 'store' | 'visitForms' | 'visitNotices' | 'logger'>;
const DECISION_ID = 'koban:decision:';
const DECISION_FIELDS = ['date', 'meetingPoint', 'note'] as const;

function stepOf(customId: string, prefix: string): number | undefined {
  if (!customId.startsWith(prefix)) return undefined;
  const n = Number(customId.slice(prefix.length));
  return Number.isInteger(n) && n >= 0 && n < VISIT_STEPS.length ? n : undefined;
}

/** One modal of the form; `typed` are the user's own words so far (kept when the modal reopens). */
export function renderVisitModal(
  form: ReplyForm,
  step: number,
  typed: FormValues,
  hints: Partial<Record<VisitField, string>>,
): APIModalInteractionResponseCallbackData {
  const fields = (VISIT_STEPS[step] ?? [])
    .map((name) => form.fields.find((f) => f.name === name))
    .filter((f): f is FormField => f !== undefined);
  return {
    custom_id: `${FORM_ID}${step}`,
    title: cut(`${form.title} (${step + 1}/${VISIT_STEPS.length})`, 45),
    components: fields.map((f) => {
      const kept = typed[f.name as VisitField];
      const value = typeof kept === 'string' ? kept : (f.value ?? '');
      const hint = hints[f.name as VisitField];
      return textInputRow(f, f.kind === 'long' ? 1000 : 200, value, hint);
    }),
  };
}

export class DiscordVisitModals {
  private readonly typed = new Map<string, { values: FormValues; at: number }>();

  constructor(
    private readonly runtime: VisitModalRuntime,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The work for `/visit`, "Request a visit", "Continue" and the modals; undefined when the
   * interaction is not one of these (decided before anything is done, so the caller can skip it).
   */
  route(interaction: Interaction): (() => Promise<void>) | undefined {
    if (interaction.isChatInputCommand() && interaction.commandName === 'visit') {
      return async () => {
        this.typed.delete(interaction.user.id);
        await interaction.showModal(await this.modal(interaction, 0));
      };
    }
    if (interaction.isButton()) {
      const decide = decodeAction(interaction.customId);
      if (decide?.type === 'visit-decide')
        return () => this.openDecision(interaction, decide.kind, decide.ref);
      const start = interaction.customId === 'koban:visit:start';
      const step = start ? 0 : stepOf(interaction.customId, STEP_ID);
      if (step === undefined) return undefined;
      return async () => {
        if (start) this.typed.delete(interaction.user.id);
        await interaction.showModal(await this.modal(interaction, step));
      };
    }
    if (interaction.isModalSubmit() && interaction.customId.startsWith(DECISION_ID)) {
      const decide = decodeAction(`koban:decide:${interaction.customId.slice(DECISION_ID.length)}`);
      if (decide?.type !== 'visit-decide') return undefined;
      return () => this.decided(interaction, decide.kind, decide.ref);
    }
    if (interaction.isModalSubmit()) {
      const step = stepOf(interaction.customId, FORM_ID);
      if (step === undefined) return undefined;
      return () => this.submitted(interaction, step);
    }
    return undefined;
  }

  private async openDecision(interaction: ButtonInteraction, kind: DecisionKind, ref: string): Promise<void> {
    const lang = await this.lang(interaction);
    const { visitNotices } = this.runtime;
    const refusal = await visitNotices.refusal(discordActor(interaction), kind, ref, lang);
    if (refusal) {
      await interaction.reply({ ...toOptions(renderNotice(refusal.text)), flags: MessageFlags.Ephemeral });
      return;
    }
    const form = visitNotices.decisionForm(kind, ref, lang);
    await interaction.showModal({
      custom_id: `${DECISION_ID}${kind}:${ref}`,
      title: cut(form.title, 45),
      components: form.fields.map((f) => textInputRow(f, 1000, undefined, f.hint)),
    });
  }

  private async decided(interaction: ModalSubmitInteraction, kind: DecisionKind, ref: string): Promise<void> {
    const lang = await this.lang(interaction);
    const values: DecisionValues = {};
    for (const field of DECISION_FIELDS) {
      const entered = interaction.fields.fields.get(field);
      if (entered && 'value' in entered && typeof entered.value === 'string' && entered.value.trim())
        values[field] = entered.value;
    }
    const outcome = await this.runtime.visitNotices.decide(
      ref,
      kind,
      values,
      discordActor(interaction),
      lang,
      interaction.user.username,
    );
    if (!outcome.ok) {
      const dt = this.runtime.i18n.t(lang, NAMESPACE);
      const text =
        'errors' in outcome
          ? [dt('visit.problems'), ...outcome.errors.map((e) => `• ${e.message}`)].join('\n')
          : outcome.refused.text;
      const fix = 'errors' in outcome ? [this.button(dt('visit.fix'), `koban:decide:${kind}:${ref}`)] : [];
      await this.reply(interaction, { ...renderNotice(text), components: fix });
      return;
    }
    await interaction.reply({ ...toOptions(renderNotice(outcome.reply.text)) });
    await outcome.notify();
  }

  private lang(interaction: Interaction): Promise<Lang> {
    return interactionLang(this.runtime.store, interaction);
  }

  private values(userId: string): FormValues {
    const kept = this.typed.get(userId);
    if (!kept || this.clock() - kept.at > KEEP_MS) return {};
    return kept.values;
  }

  private async modal(interaction: Interaction, step: number, form?: ReplyForm) {
    const lang = await this.lang(interaction);
    const t = this.runtime.i18n.t(lang, 'visits');
    const hints: Partial<Record<VisitField, string>> = {
      preferredDates: 'YYYY-MM-DD, YYYY-MM-DD',
      interests: ['koban', 'command-center', 'criminal-id', 'other']
        .map((i, n) => `${n + 1} ${t(`interests.${i}`)}`)
        .join(', '),
      interpreter: `${t('yes')} / ${t('no')}`,
    };
    return renderVisitModal(
      form ?? this.runtime.visitForms.open(lang),
      step,
      this.values(interaction.user.id),
      hints,
    );
  }

  private async submitted(interaction: ModalSubmitInteraction, step: number): Promise<void> {
    const user = interaction.user.id;
    const lang = await this.lang(interaction);
    const dt = this.runtime.i18n.t(lang, NAMESPACE);
    const values: FormValues = { ...this.values(user) };
    for (const field of VISIT_STEPS[step] ?? []) {
      const entered = interaction.fields.fields.get(field);
      if (entered && 'value' in entered && typeof entered.value === 'string') values[field] = entered.value;
    }
    this.typed.set(user, { values, at: this.clock() });
    const total = VISIT_STEPS.length;
    if (step + 1 < total) {
      const next = this.button(dt('visit.continue', { n: step + 2, total }), `${STEP_ID}${step + 1}`);
      await this.reply(interaction, {
        ...renderNotice(dt('visit.saved', { n: step + 1, total })),
        components: [next],
      });
      return;
    }
    const result = await this.runtime.visitForms.submit(values, { platform: 'discord', userId: user }, lang);
    if (!result.ok) {
      const failed = new Set(result.errors.map((e) => e.field));
      const first = VISIT_STEPS.findIndex((fields) => fields.some((f) => failed.has(f)));
      const lines = [dt('visit.problems'), ...result.errors.map((e) => `• ${e.message}`)];
      await this.reply(interaction, {
        ...renderNotice(lines.join('\n')),
        components: [this.button(dt('visit.fix'), `${STEP_ID}${Math.max(0, first)}`)],
      });
      return;
    }
    this.typed.delete(user);
    const [head] = renderReply(result.reply, { t: dt });
    if (head) await this.reply(interaction, head);
    await this.runtime.visitNotices.submitted(result.ref);
  }

  private button(label: string, customId: string): DiscordMessagePayload['components'][number] {
    return {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: cut(label, 80),
          custom_id: customId,
        },
      ],
    };
  }

  private async reply(interaction: ModalSubmitInteraction, payload: DiscordMessagePayload): Promise<void> {
    await interaction.reply({
      ...toOptions(payload),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  }
}
