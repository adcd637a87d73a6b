/**
 * Registers the slash commands through the REST API, idempotently: the registered set is read
 * first (with localizations) and overwritten in one bulk PUT only when it differs.
 */
import { type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from 'discord.js';
import { z } from 'zod';

const localizations = z.record(z.string(), z.string()).nullish();

const optionSchema = z.looseObject({
  type: z.number(),
  name: z.string(),
  description: z.string(),
  name_localizations: localizations,
  description_localizations: localizations,
  required: z.boolean().optional(),
  max_length: z.number().optional(),
  choices: z.array(z.looseObject({ name: z.string(), value: z.union([z.string(), z.number()]) })).optional(),
});

const registeredSchema = z.array(
  z.looseObject({
    id: z.string(),
    type: z.number().optional(),
    name: z.string(),
    description: z.string(),
    name_localizations: localizations,
    description_localizations: localizations,
    options: z.array(optionSchema).optional(),
    contexts: z.array(z.number()).nullish(),
    integration_types: z.array(z.number()).nullish(),
  }),
);

export interface RegisterResult {
  /** False when the registered commands already matched: nothing was written. */
  changed: boolean;
  count: number;
  scope: 'global' | 'guild';
}

export interface RegisterOptions {
  rest: REST;
  applicationId: string;
  guildId?: string;
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** Makes the application's commands (globally, or in one guild) exactly `commands`. */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const { rest, applicationId, guildId, commands } = options;
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const scope = guildId ? 'guild' : 'global';
  const registered = registeredSchema.parse(
    await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) }),
  );
  if (sameCommands(registered, commands)) return { changed: false, count: registered.length, scope };
  const written = registeredSchema.parse(await rest.put(route, { body: commands }));
  return { changed: true, count: written.length, scope };
}

/** True when both lists hold the same commands, whatever the order and Discord's added fields. */
export function sameCommands(registered: readonly object[], wanted: readonly object[]): boolean {
  if (registered.length !== wanted.length) return false;
  const key = (list: readonly object[]) =>
    list
      .map((c) => JSON.stringify(canonical(c)))
      .sort()
      .join('\n');
  return key(registered) === key(wanted);
}

// The fields this project sets, with Discord's defaults made explicit, in a fixed key order.
function canonical(command: object): unknown {
  const c = command as Record<string, unknown>;
  return {
    type: c.type ?? 1,
    name: c.name,
    description: c.description,
    name_localizations: sortedMap(c.name_localizations),
    description_localizations: sortedMap(c.description_localizations),
    contexts: c.contexts ?? null,
    integration_types: c.integration_types ?? null,
    options: ((c.options as Record<string, unknown>[] | undefined) ?? []).map((o) => ({
      type: o.type,
      name: o.name,
      description: o.description,
      name_localizations: sortedMap(o.name_localizations),
      description_localizations: sortedMap(o.description_localizations),
      required: o.required ?? false,
      max_length: o.max_length ?? null,
      choices: ((o.choices as Record<string, unknown>[] | undefined) ?? []).map((ch) => [ch.name, ch.value]),
    })),
  };
}

function sortedMap(map: unknown): [string, unknown][] {
  return Object.entries((map ?? {}) as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
}
