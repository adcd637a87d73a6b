/**
 * The slash commands, with names and descriptions localized (i18next, namespace `discord`) for
 * every supported language that Discord has a locale for. Base names are identifiers the code uses.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Locale,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import { AUTONYMS, LANGUAGES, type Lang } from '../../core/languages.js';
import type { I18nService } from '../../i18n/i18n.js';

export const NAMESPACE = 'discord';

/** Discord locales of the languages the assistant speaks (Discord has none for Tagalog or Dari). */
export const DISCORD_LOCALES: Partial<Record<Lang, Locale>> = {
  ja: Locale.Japanese,
  id: Locale.Indonesian,
  vi: Locale.Vietnamese,
  th: Locale.Thai,
  tr: Locale.Turkish,
};

export const COMMAND_NAMES = ['ask', 'language', 'course', 'visit', 'announce'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The option of each command that takes one, by its base name. */
export const OPTION_NAMES = { ask: 'question', language: 'code', course: 'id' } as const;

// Discord's rule for command and option names (https://discord.com/developers/docs/interactions/application-commands).
const nameSchema = z
  .string()
  .regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u)
  .refine((s) => s === s.toLowerCase(), 'must be lowercase');
const descriptionSchema = z.string().min(1).max(100);

/** The JSON of every command, as the REST API's bulk overwrite takes it. */
export function commandDefinitions(i18n: I18nService): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const en = i18n.t('en', NAMESPACE);
  const text = (key: string, name: string) => ({
    name,
    name_localizations: localize(i18n, `${key}.name`, nameSchema),
    description: descriptionSchema.parse(en(`${key}.description`)),
    description_localizations: localize(i18n, `${key}.description`, descriptionSchema),
  });
  const base: Pick<
    RESTPostAPIChatInputApplicationCommandsJSONBody,
    'type' | 'contexts' | 'integration_types'
  > = {
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
  return [
    {
      ...base,
      ...text('commands.ask', 'ask'),
      options: [
        {
          type: ApplicationCommandOptionType.String,
          ...text('commands.ask.question', 'question'),
          required: true,
          max_length: 2000,
        },
      ],
    },
    {
      ...base,
      ...text('commands.language', 'language'),
      options: [
        {
          type: ApplicationCommandOptionType.String,
          ...text('commands.language.code', 'code'),
          required: false,
          choices: LANGUAGES.map((lang) => ({ name: AUTONYMS[lang], value: lang })),
        },
      ],
    },
    {
      ...base,
      ...text('commands.course', 'course'),
      options: [
        {
          type: ApplicationCommandOptionType.String,
          ...text('commands.course.id', 'id'),
          required: false,
          max_length: 80,
        },
      ],
    },
    { ...base, ...text('commands.visit', 'visit') },
    { ...base, ...text('commands.announce', 'announce') },
  ];
}

function localize(i18n: I18nService, key: string, schema: z.ZodType<string>): LocalizationMap {
  const english = i18n.t('en', NAMESPACE)(key);
  const map: LocalizationMap = {};
  for (const [lang, locale] of Object.entries(DISCORD_LOCALES) as [Lang, Locale][]) {
    const value = i18n.t(lang, NAMESPACE)(key);
    if (value && value !== english) map[locale] = schema.parse(value);
  }
  return map;
}
