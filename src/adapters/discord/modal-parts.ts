/**
 * Pieces the Discord modals share (the visit form, visit decisions, `/announce`): a text input
 * row, the acting user with their roles, and the language to answer them in.
 */
import {
  type APIActionRowComponent,
  type APITextInputComponent,
  ComponentType,
  type Interaction,
  TextInputStyle,
} from 'discord.js';
import { DEFAULT_LANG, type Lang, normalizeLocale } from '../../core/languages.js';
import type { FormField } from '../../core/reply.js';
import type { Actor } from '../../engines/visits/coordinators.js';
import type { Store } from '../../stores/store.js';

export const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** One text input in its own row, as Discord modals take them (labels 45, hints 100 characters). */
export function textInputRow(
  f: FormField,
  maxLength: number,
  value?: string,
  hint?: string,
): APIActionRowComponent<APITextInputComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.TextInput,
        custom_id: f.name,
        label: cut(f.label, 45),
        style: f.kind === 'long' ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required,
        max_length: maxLength,
        ...(value ? { value: cut(value, maxLength) } : {}),
        ...(hint ? { placeholder: cut(hint, 100) } : {}),
      },
    ],
  };
}

/** Who acts, with their role ids and names (for `discord-role:` coordinators). */
export function discordActor(interaction: Interaction): Actor {
  const roles = interaction.inCachedGuild()
    ? [...interaction.member.roles.cache.values()].flatMap((r) => [r.id, r.name])
    : Array.isArray(interaction.member?.roles)
      ? interaction.member.roles
      : [];
  return { platform: 'discord', userId: interaction.user.id, groups: roles };
}

/** The user's chosen language, else the one detected, else their Discord locale. */
export async function interactionLang(
  store: Pick<Store, 'getUser'>,
  interaction: Interaction,
): Promise<Lang> {
  const prefs = await store.getUser(`discord:${interaction.user.id}`);
  return prefs.lang ?? prefs.detectedLang ?? normalizeLocale(interaction.locale) ?? DEFAULT_LANG;
}
