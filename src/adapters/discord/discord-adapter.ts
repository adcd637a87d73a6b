/**
 * The Discord adapter (discord.js v14): DMs, mentions in server channels, slash commands, buttons
 * and the language menu become `IncomingMessage`s; the assistant's `Reply` becomes embeds and
 * components. It decides nothing itself (see docs/discord.md for setup).
 */
import { once } from 'node:events';
import {
  type Client,
  Events,
  type Interaction,
  type Message,
  RESTEvents,
  type RepliableInteraction,
} from 'discord.js';
import type { Assistant } from '../../assistant/assistant.js';
import type { Adapter, StopOptions } from '../../core/adapter.js';
import { DEFAULT_LANG, normalizeLocale } from '../../core/languages.js';
import { settlesWithin } from '../../core/within.js';
import { answer, answerAndDeliver, firstTime } from '../../limits/intake.js';
import { TurnGate } from '../../limits/turn-gate.js';
import type { Runtime } from '../../main.js';
import { DiscordAnnounceModals } from './announce-modal.js';
import { describeDiscordError, isDisallowedIntents, isTokenRejection, withNonceRetry } from './api-errors.js';
import { CATCH_UP_DM_CHANNELS, missedMessages } from './catch-up.js';
import { createClient } from './client.js';
import { NAMESPACE } from './commands.js';
import { invalidToken, missingToken } from './errors.js';
import { type InteractionPlan, planInteraction, respond, toOptions } from './interactions.js';
import { toIncomingMessage } from './messages.js';
import { type DiscordMessagePayload, renderNotice, renderReply } from './render.js';
import { DiscordSender } from './sender.js';
import { DiscordVisitModals } from './visit-modal.js';

/** What the adapter uses of the runtime; a full `Runtime` fits. */
export type DiscordRuntime = Pick<
  Runtime,
  | 'config'
  | 'logger'
  | 'i18n'
  | 'limits'
  | 'metrics'
  | 'store'
  | 'visitForms'
  | 'announceForms'
  | 'visitNotices'
  | 'senders'
> & {
  assistant: Pick<Assistant, 'handle' | 'notice'>;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Discord adapter, started next to the others when `DISCORD_TOKEN` is set. */
export function createDiscordAdapter(runtime: DiscordRuntime): Adapter {
  return new DiscordAdapter(runtime);
}

class DiscordAdapter implements Adapter {
  readonly name = 'discord';
  private client: Client | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly gate = new TurnGate();
  private readonly visitModals: DiscordVisitModals;
  private readonly announceModals: DiscordAnnounceModals;
  private unregisterSender: (() => void) | undefined;

  /** KOBAN_COORDINATOR_CHANNELS on Discord: replies there may belong to a hand-off. */
  private readonly coordinatorChannels: ReadonlySet<string>;

  constructor(private readonly runtime: DiscordRuntime) {
    this.visitModals = new DiscordVisitModals(runtime);
    this.announceModals = new DiscordAnnounceModals(runtime);
    this.coordinatorChannels = new Set(
      runtime.config.KOBAN_COORDINATOR_CHANNELS.flatMap((c) =>
        c.startsWith('discord:') ? [c.slice('discord:'.length)] : [],
      ),
    );
  }

  async start(): Promise<void> {
    const token = this.runtime.config.DISCORD_TOKEN;
    if (!token) throw missingToken();
    try {
      await this.connect(token, true);
    } catch (err) {
      if (!isDisallowedIntents(err)) throw err;
      this.runtime.logger.warn(
        'discord: the Message Content intent is not enabled for this bot; continuing without it (DMs, mentions and slash commands still work, see docs/discord.md)',
      );
      await this.connect(token, false);
    }
  }

  async stop(options: StopOptions = {}): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.unregisterSender?.();
    this.unregisterSender = undefined;
    // No new messages or interactions; answers already being worked on get the grace period.
    client?.removeAllListeners(Events.MessageCreate);
    client?.removeAllListeners(Events.InteractionCreate);
    const work = Promise.allSettled([...this.inflight]);
    if (!(await settlesWithin(work, options.graceMs ?? Number.POSITIVE_INFINITY))) {
      this.runtime.logger.warn(
        { inflight: this.inflight.size, graceMs: options.graceMs },
        'discord: answers still in flight at the shutdown deadline; closing anyway',
      );
    }
    await client?.destroy();
  }

  connected(): boolean {
    return this.client?.isReady() ?? false;
  }

  private async connect(token: string, messageContent: boolean): Promise<void> {
    const apiUrl = this.runtime.config.DISCORD_API_URL;
    const client = createClient({ messageContent, ...(apiUrl ? { apiUrl } : {}) });
    this.client = client;
    this.wire(client);
    const ready = once(client, Events.ClientReady);
    ready.catch(() => undefined);
    try {
      await client.login(token);
      await ready;
    } catch (err) {
      this.client = undefined;
      await client.destroy();
      if (isTokenRejection(err)) throw invalidToken();
      throw err;
    }
    const sender = new DiscordSender(client, this.runtime.i18n);
    const unregister = [this.runtime.visitNotices.register(sender), this.runtime.senders.register(sender)];
    this.unregisterSender = () => {
      for (const u of unregister) u();
    };
    this.runtime.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord: ready');
  }

  private wire(client: Client): void {
    const log = this.runtime.logger;
    client.on(
      Events.MessageCreate,
      // Messages wait their turn (`src/limits/turn-gate.ts`); interactions must be answered within 3 s.
      (message) => void this.guard('message', () => this.gate.run(() => this.onMessage(client, message))),
    );
    client.on(
      Events.InteractionCreate,
      (interaction) => void this.guard('interaction', () => this.onInteraction(interaction)),
    );
    client.on(Events.ShardReady, (shard) => {
      log.info({ shard }, 'discord: connected');
      // A new session (start, takeover, or an outage too long to resume): nothing replays what was missed.
      void this.guard('catch-up', () => this.catchUp(client));
    });
    client.on(Events.ShardResume, (shard, replayed) =>
      log.info({ shard, replayed }, 'discord: session resumed'),
    );
    client.on(Events.ShardReconnecting, (shard) => log.warn({ shard }, 'discord: reconnecting'));
    client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ shard, code: event.code }, 'discord: disconnected, will not reconnect'),
    );
    client.on(Events.ShardError, (err, shard) =>
      log.error({ shard, ...describeDiscordError(err) }, 'discord: gateway error'),
    );
    client.on(Events.Error, (err) => log.error(describeDiscordError(err), 'discord: client error'));
    client.on(Events.Warn, (message) => log.warn({ message }, 'discord: warning'));
    client.on(Events.Debug, (message) => log.trace({ message }, 'discord: debug'));
    client.rest.on(RESTEvents.RateLimited, (info) =>
      log.warn(
        {
          method: info.method,
          route: info.route,
          retryAfter: info.retryAfter,
          global: info.global,
          scope: info.scope,
        },
        'discord: rate limited, waiting',
      ),
    );
  }

  /**
   * Answers a message from the gateway, or one the catch-up found (`retakeBefore`: the moment this
   * instance got the gateway; a message an instance took before then and never finished is taken over).
   */
  private async onMessage(client: Client, message: Message, retakeBefore?: Date): Promise<boolean> {
    const botId = client.user?.id;
    if (!botId) return false;
    const incoming = toIncomingMessage(message, botId, this.coordinatorChannels);
    const channel = message.channel;
    if (!incoming || !channel.isSendable()) return false;
    // The message id: a gateway replay after a resume, or another instance, does not answer it again.
    const options = { eventId: message.id, channelId: message.channelId, retakeBefore };
    return answerAndDeliver(this.runtime, incoming, options, async (reply) => {
      const payloads = renderReply(reply, {
        t: this.runtime.i18n.t(reply.lang, NAMESPACE),
        userText: incoming.text,
      });
      for (const [i, payload] of payloads.entries()) {
        // A nonce from the question: a second try (after its instance died mid-send) posts nothing new.
        const sent = {
          ...toOptions(payload),
          nonce: i === 0 ? message.id : `${message.id}:${i}`,
          enforceNonce: true,
        };
        // In a server channel the first message answers the question as a reply; in a DM it simply follows.
        // A connection lost mid-send is tried again: the nonce keeps a post that went through single.
        const reply = i === 0 && !incoming.direct;
        await withNonceRetry(async () => {
          if (reply) await message.reply(sent);
          else await channel.send(sent);
        });
      }
    });
  }

  /** Answers what was written in the last KOBAN_DISCORD_CATCHUP_MINUTES while no instance was connected. */
  private async catchUp(client: Client): Promise<void> {
    const minutes = this.runtime.config.KOBAN_DISCORD_CATCHUP_MINUTES;
    if (minutes === 0) return;
    const log = this.runtime.logger;
    const now = new Date();
    const since = new Date(now.getTime() - minutes * 60_000);
    const dmChannels = await this.runtime.store.events.recentChannels(
      'discord',
      new Date(now.getTime() - DAY_MS),
      CATCH_UP_DM_CHANNELS,
    );
    let read = 0;
    let handled = 0;
    for await (const message of missedMessages(client, { since, dmChannels }, log)) {
      if (this.client !== client) break;
      read++;
      if (await this.guard('message', () => this.onMessage(client, message, now))) handled++;
    }
    log.info(
      { read, handled, minutes, dmChannels: dmChannels.length },
      'discord: caught up on messages written while disconnected',
    );
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    // What to do is decided first: an interaction the bot ignores leaves no processed_events row.
    const modal = this.announceModals.route(interaction) ?? this.visitModals.route(interaction);
    if (modal) {
      if (await this.firstTime(interaction.id)) await modal();
      return;
    }
    const plan = planInteraction(interaction);
    if (plan.kind === 'ignore' || !interaction.isRepliable()) return;
    if (!(await this.firstTime(interaction.id))) return;
    try {
      await respond(interaction, this.produce(plan), { ephemeral: plan.ephemeral });
    } catch (err) {
      await this.apologize(interaction);
      throw err;
    }
  }

  /** True when this instance takes the interaction; a replay or another instance's copy is counted and skipped. */
  private async firstTime(interactionId: string): Promise<boolean> {
    if (await firstTime(this.runtime, 'discord', interactionId, new Date())) return true;
    this.runtime.metrics.duplicate('discord');
    return false;
  }

  private async produce(
    plan: Exclude<InteractionPlan, { kind: 'ignore' }>,
  ): Promise<DiscordMessagePayload[]> {
    if (plan.kind === 'notice') {
      return [renderNotice(this.runtime.i18n.t(plan.lang, NAMESPACE)(plan.key, plan.vars))];
    }
    // An interaction must be answered: past a rate limit the notice is repeated rather than silence.
    const reply = await answer(this.runtime, plan.message, { mustReply: true });
    if (!reply || reply.silent) return [];
    return renderReply(reply, { t: this.runtime.i18n.t(reply.lang, NAMESPACE), userText: plan.message.text });
  }

  /** A deferred interaction that could not be answered still gets a polite word, not an endless "thinking…". */
  private async apologize(interaction: RepliableInteraction): Promise<void> {
    if (!interaction.deferred || interaction.replied) return;
    const lang = normalizeLocale(interaction.locale) ?? DEFAULT_LANG;
    await interaction
      .editReply(toOptions(renderNotice(this.runtime.i18n.t(lang)('errors.internal'))))
      .catch(() => undefined);
  }

  /** Runs one event's work; a Discord API failure is logged with its code and never ends the process. */
  private async guard<T>(kind: string, work: () => Promise<T>): Promise<T | undefined> {
    const running = work();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    try {
      return await running;
    } catch (err) {
      const described = describeDiscordError(err);
      this.runtime.metrics.apiError(
        'discord',
        String(described.code ?? described.status ?? described.name ?? 'unknown'),
      );
      this.runtime.logger.error({ kind, ...described }, 'discord: could not answer');
      return undefined;
    } finally {
      this.inflight.delete(settled);
    }
  }
}
