/**
 * What the adapter does with each Slack payload: validate it, turn it into one `IncomingMessage`,
 * ask the assistant, and deliver the rendered `Reply`. It never decides what to answer.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import { ANNOUNCE_FIELDS, previewButtons } from '../../assistant/announce-form.js';
import type { DecisionValues } from '../../assistant/visit-notices.js';
import { DEFAULT_LANG, type Lang, normalizeLocale } from '../../core/languages.js';
import type { IncomingMessage, UserAction } from '../../core/message.js';
import type { Reply } from '../../core/reply.js';
import type { Actor } from '../../engines/visits/coordinators.js';
import type { DecisionKind } from '../../engines/visits/status.js';
import { answer } from '../../limits/intake.js';
import type { Runtime } from '../../main.js';
import { readAnnounceValues, renderAnnounceModal, renderAnnouncePreview } from './announce-modal.js';
import { renderNotice, renderReply, shareValue } from './block-kit.js';
import type { Delivery, Target } from './delivery.js';
import { mentions, slackToPlain } from './escape.js';
import type { SlackSettings } from './settings.js';
import {
  type AnnounceButton,
  appMentionSchema,
  blockActionsSchema,
  commandSchema,
  messageEventSchema,
  parseButtonValue,
} from './slack-events.js';
import type { SlackUserGroups } from './user-groups.js';
import type { UserLocales } from './user-locale.js';
import {
  modalErrors,
  readMetadata,
  readModalValues,
  readVisitValues,
  renderVisitModal,
  viewSubmissionSchema,
} from './visit-modal.js';

/** The acknowledgement of a modal with problems: Slack shows each message under its block. */
export interface ViewAck {
  response_action: 'errors';
  errors: Record<string, string>;
}

/** How to acknowledge a submitted modal (none: close it), and what to do once acknowledged. */
export interface ViewOutcome {
  ack?: ViewAck;
  after?: () => Promise<void>;
}

type WebClient = webApi.WebClient;

/** Message subtypes that still carry a user's new question; every other subtype (edits, deletions, joins, bots) is ignored. */
const QUESTION_SUBTYPES: ReadonlySet<string> = new Set(['file_share', 'thread_broadcast']);

/** Replies not worth sharing into a channel. */
const PRIVATE_INTENTS: ReadonlySet<Reply['intent']> = new Set(['language', 'fallback']);

/** Slash command → the text the assistant understands. */
export function commandText(command: string, text: string): string {
  switch (command) {
    case '/koban-lang':
      return `/lang ${text}`.trim();
    case '/koban-course':
      return `/course ${text}`.trim();
    default:
      return text;
  }
}

/** Remembers the last few ids seen, to drop Slack's retries of an event already answered. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}

  /** True when `id` was seen before; records it otherwise. */
  seen(id: string | undefined): boolean {
    if (id === undefined) return false;
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return false;
  }
}

export interface SlackHandlerDeps {
  runtime: Runtime;
  settings: SlackSettings;
  delivery: Delivery;
  locales: UserLocales;
  /** Members of the `slack-group:` coordinators. */
  userGroups: SlackUserGroups;
}

interface Question {
  client: WebClient;
  target: Target;
  text: string;
  direct: boolean;
  action?: UserAction;
  /** A reply in a thread of a coordinator channel (a hand-off). */
  thread?: { channelId: string; threadId: string };
  /** The Events API event_id: answered once across instances, Slack's retries and Socket Mode connections. */
  eventId?: string | undefined;
}

export class SlackHandlers {
  private readonly events = new RecentIds(1000);
  /** KOBAN_COORDINATOR_CHANNELS on Slack: thread replies there may belong to a hand-off. */
  private readonly coordinatorChannels: ReadonlySet<string>;

  constructor(private readonly deps: SlackHandlerDeps) {
    this.coordinatorChannels = new Set(
      deps.runtime.config.KOBAN_COORDINATOR_CHANNELS.flatMap((c) =>
        c.startsWith('slack:') ? [c.slice('slack:'.length)] : [],
      ),
    );
  }

  /** A `message` event: direct messages, and questions in the channels listed in SLACK_LISTEN_CHANNELS. */
  async onMessage(
    raw: unknown,
    eventId: string | undefined,
    botUserId: string | undefined,
    client: WebClient,
  ) {
    const parsed = messageEventSchema.safeParse(raw);
    if (!parsed.success) return this.dropped('message', 'debug');
    const e = parsed.data;
    if (e.subtype !== undefined && !QUESTION_SUBTYPES.has(e.subtype)) return;
    if (e.bot_id || e.app_id || e.edited || !e.user || e.user === botUserId) return;
    const text = e.text ?? '';
    const direct = e.channel_type === 'im';
    // A reply in a thread of a coordinator channel: the assistant decides whether it is a hand-off's.
    const handoff =
      !direct && e.thread_ts !== undefined && e.thread_ts !== e.ts && this.coordinatorChannels.has(e.channel)
        ? { thread: { channelId: e.channel, threadId: e.thread_ts } }
        : {};
    // In channels a mention arrives as app_mention too; that listener answers it.
    if (
      !direct &&
      !handoff.thread &&
      (!this.deps.settings.listenChannels.has(e.channel) || mentions(text, botUserId))
    )
      return;
    if (this.events.seen(eventId)) return;
    const target: Target = { channel: e.channel, user: e.user, ...this.thread(e, direct) };
    const question = slackToPlain(text, botUserId);
    const reply = await this.ask({ client, target, text: question, direct, eventId, ...handoff });
    // Unprompted in a channel, the bot speaks only when it has something to say.
    if (!reply || reply.silent || (!direct && reply.intent === 'fallback')) return;
    await this.deps.delivery.visible(
      client,
      target,
      this.render(reply, question),
      reply.lang,
      reply.attachment,
    );
  }

  /** An `app_mention` event: `@koban question` in a channel; answered in a thread under it (SLACK_REPLY_IN_THREAD). */
  async onMention(
    raw: unknown,
    eventId: string | undefined,
    botUserId: string | undefined,
    client: WebClient,
  ) {
    const parsed = appMentionSchema.safeParse(raw);
    if (!parsed.success) return this.dropped('app_mention', 'debug');
    const e = parsed.data;
    if (e.bot_id || e.edited || !e.user || e.user === botUserId) return;
    if (this.events.seen(eventId)) return;
    const target: Target = { channel: e.channel, user: e.user, ...this.thread(e, false) };
    const question = slackToPlain(e.text, botUserId);
    const reply = await this.ask({ client, target, text: question, direct: false, eventId });
    if (!reply || reply.silent) return;
    await this.deps.delivery.visible(
      client,
      target,
      this.render(reply, question),
      reply.lang,
      reply.attachment,
    );
  }

  /** `/koban …` and friends: answered privately, with "Share in channel". */
  async onCommand(raw: unknown, client: WebClient, respond: RespondFn | undefined) {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) return this.dropped('command');
    const cmd = parsed.data;
    const target: Target = { channel: cmd.channel_id, user: cmd.user_id, ...(respond ? { respond } : {}) };
    if (cmd.command === '/koban-visit' && cmd.trigger_id) {
      await this.openVisitModal(client, target, cmd.trigger_id);
      return;
    }
    if (cmd.command === '/koban-announce') {
      await this.openAnnounceModal(client, target, cmd.trigger_id);
      return;
    }
    const text = commandText(cmd.command, slackToPlain(cmd.text));
    // Without a trigger_id no modal can open: the visit form goes on in the chat instead.
    const visit = cmd.command === '/koban-visit' ? { action: { type: 'visit' as const } } : {};
    const reply = await this.ask({ client, target, text, direct: true, ...visit });
    if (!reply || reply.silent) return;
    const share = PRIVATE_INTENTS.has(reply.intent) ? undefined : shareValue(text);
    const message = renderReply(reply, this.deps.runtime.i18n, {
      ephemeral: true,
      userText: text,
      ...(share ? { share } : {}),
    });
    await this.deps.delivery.ephemeral(client, target, message, reply.lang);
  }

  /** A button click: a suggestion, a reply button, or "Share in channel". */
  async onAction(raw: unknown, client: WebClient, respond: RespondFn | undefined) {
    const parsed = blockActionsSchema.safeParse(raw);
    if (!parsed.success) return this.dropped('block_actions');
    const body = parsed.data;
    const value = parseButtonValue(body.actions[0]?.value);
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!value || !channel) return this.dropped('button value');
    const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
    const target: Target = {
      channel,
      user: body.user.id,
      ...(threadTs ? { threadTs } : {}),
      ...(respond && body.response_url ? { respond } : {}),
    };
    const { i18n } = this.deps.runtime;

    if (value.type === 'share') {
      const question = { client, target, text: value.text, direct: false };
      const reply = await this.ask(value.action ? { ...question, action: value.action } : question);
      if (!reply || reply.silent) return;
      const message = renderReply(reply, i18n, { sharedBy: body.user.id, userText: value.text });
      const shared = await this.deps.delivery.visible(client, target, message, reply.lang, reply.attachment);
      if (shared && target.respond) {
        await target.respond({ delete_original: true }).catch((err: unknown) => {
          this.deps.runtime.logger.debug({ err }, 'slack: could not remove the private answer');
        });
      }
      return;
    }

    if (value.type === 'announce-send' || value.type === 'announce-drop') {
      await this.onAnnounceButton(client, target, value);
      return;
    }

    if (value.type === 'visit' && body.trigger_id) {
      await this.openVisitModal(client, target, body.trigger_id);
      return;
    }
    if (value.type === 'visit-decide') {
      await this.openDecisionModal(client, target, value, body.trigger_id);
      return;
    }

    const direct = channel.startsWith('D');
    const reply = await this.ask({ client, target, text: '', direct, action: value });
    if (!reply || reply.silent) return;
    // "OK, got it" under an announcement is thanked privately, never in the channel.
    if (body.container?.is_ephemeral || value.type === 'announce-confirm') {
      const share = PRIVATE_INTENTS.has(reply.intent) ? undefined : shareValue('', value);
      const message = renderReply(reply, i18n, { ephemeral: true, ...(share ? { share } : {}) });
      await this.deps.delivery.ephemeral(client, target, message, reply.lang);
    } else {
      await this.deps.delivery.visible(client, target, this.render(reply), reply.lang, reply.attachment);
    }
  }

  /** `/koban-visit` or "Request a visit": the visit form as a modal, in the user's language. */
  private async openVisitModal(client: WebClient, target: Target, triggerId: string): Promise<void> {
    const lang = await this.userLang(target.user, await this.deps.locales.get(client, target.user));
    const { i18n, visitForms } = this.deps.runtime;
    const t = i18n.t(lang, 'visits');
    const view = renderVisitModal(
      visitForms.open(lang),
      { lang, channel: target.channel },
      { yes: t('yes'), no: t('no'), close: t('form.close') },
    );
    await this.openView(client, target, triggerId, view, lang);
  }

  /** Opens a modal; a failure is told to the user like any other failed call. */
  private async openView(
    client: WebClient,
    target: Target,
    triggerId: string,
    view: Record<string, unknown>,
    lang: Lang,
  ): Promise<void> {
    try {
      await client.views.open({
        trigger_id: triggerId,
        view: view as unknown as webApi.ViewsOpenArguments['view'],
      });
    } catch (err) {
      await this.deps.delivery.failed(client, target, err, 'views.open', lang);
    }
  }

  /** `/koban-announce`: a coordinator gets the announcement modal, anyone else a polite refusal (audited). */
  private async openAnnounceModal(client: WebClient, target: Target, triggerId: string | undefined) {
    const lang = await this.userLang(target.user, await this.deps.locales.get(client, target.user));
    const { i18n, announceForms } = this.deps.runtime;
    const actor = await this.visitActor(client, target.user);
    if (!actor || !(await announceForms.allowed(actor)) || !triggerId) {
      const text = actor && triggerId ? announceForms.refusal(lang) : i18n.t(lang, 'slack')('errors.failed');
      await this.deps.delivery.ephemeral(client, target, renderNotice(text), lang);
      return;
    }
    const close = i18n.t(lang, 'announcements')('form.close');
    const view = renderAnnounceModal(announceForms.open(lang), lang, close);
    await this.openView(client, target, triggerId, view, lang);
  }

  /**
   * A submitted announcement modal: field errors for the ack, or an empty ack and then the preview
   * (targets and languages, from the service's dry run) by direct message with Confirm and Cancel.
   */
  async onAnnounceSubmission(raw: unknown, client: WebClient): Promise<ViewOutcome> {
    const parsed = viewSubmissionSchema.safeParse(raw);
    if (!parsed.success) {
      this.dropped('view_submission');
      return {};
    }
    const user = parsed.data.user.id;
    const meta = readMetadata(parsed.data.view.private_metadata);
    const lang = meta?.lang ?? (await this.userLang(user, await this.deps.locales.get(client, user)));
    const { i18n, announceForms, logger } = this.deps.runtime;
    const actor = await this.visitActor(client, user);
    let result: Awaited<ReturnType<typeof announceForms.preview>>;
    try {
      if (!actor || !(await announceForms.allowed(actor))) {
        const errors = [{ field: 'audienceKind', message: announceForms.refusal(lang) }];
        return { ack: { response_action: 'errors', errors: modalErrors(errors, ANNOUNCE_FIELDS) } };
      }
      result = await announceForms.preview(readAnnounceValues(parsed.data.view), actor, lang);
    } catch (err) {
      logger.error({ err }, 'slack: could not preview an announcement');
      const failed = i18n.t(lang, 'slack')('errors.failed');
      return { ack: { response_action: 'errors', errors: { text: failed } } };
    }
    if (!result.ok)
      return { ack: { response_action: 'errors', errors: modalErrors(result.errors, ANNOUNCE_FIELDS) } };
    const preview = result;
    const t = i18n.t(lang, 'announcements');
    const message = renderAnnouncePreview(preview.text, preview.draftId, lang, previewButtons(t));
    return {
      after: async () => {
        await this.deps.delivery.visible(client, { channel: user, user }, message, lang);
      },
    };
  }

  /** Confirm (the service queues it and answers with A-n) or Cancel under a preview. */
  private async onAnnounceButton(client: WebClient, target: Target, value: AnnounceButton): Promise<void> {
    const { announceForms } = this.deps.runtime;
    const actor = (await this.visitActor(client, target.user)) ?? { platform: 'slack', userId: target.user };
    const text =
      value.type === 'announce-send'
        ? (await announceForms.confirm(value.draft, actor, value.lang)).text
        : await announceForms.cancel(value.draft, actor, value.lang);
    await this.deps.delivery.visible(
      client,
      { channel: target.channel, user: target.user },
      renderNotice(text),
      value.lang,
    );
  }

  /** The Slack user as a visit actor with their coordinator user groups; undefined when Slack could not tell. */
  private async visitActor(client: WebClient, user: string): Promise<Actor | undefined> {
    const actor: Actor = { platform: 'slack', userId: user };
    const { userGroups } = this.deps;
    if (!userGroups.configured || this.deps.runtime.visits.coordinators.isListedUser(actor)) return actor;
    const groups = await userGroups.of(client, user);
    return groups ? { ...actor, groups } : undefined;
  }

  /** Approve / Decline / Ask for details: a coordinator gets the decision's modal, anyone else a polite refusal (audited). */
  private async openDecisionModal(
    client: WebClient,
    target: Target,
    value: { ref: string; kind: DecisionKind },
    triggerId: string | undefined,
  ): Promise<void> {
    const lang = await this.userLang(target.user, await this.deps.locales.get(client, target.user));
    const { i18n, visitNotices } = this.deps.runtime;
    const actor = await this.visitActor(client, target.user);
    if (!actor) {
      const text = i18n.t(lang, 'visits')('decide.groupsUnavailable');
      await this.deps.delivery.ephemeral(client, target, renderNotice(text), lang);
      return;
    }
    const refusal = await visitNotices.refusal(actor, value.kind, value.ref, lang);
    if (refusal || !triggerId) {
      const text = refusal?.text ?? i18n.t(lang, 'slack')('errors.failed');
      await this.deps.delivery.ephemeral(client, target, renderNotice(text), lang);
      return;
    }
    const t = i18n.t(lang, 'visits');
    const view = renderVisitModal(
      visitNotices.decisionForm(value.kind, value.ref, lang),
      { lang, channel: target.channel, ref: value.ref, kind: value.kind },
      { yes: t('yes'), no: t('no'), close: t('form.close') },
    );
    await this.openView(client, target, triggerId, view, lang);
  }

  /** A coordinator's submitted decision: field errors in the modal, or the decision applied and announced. */
  async onDecisionSubmission(raw: unknown, client: WebClient): Promise<ViewOutcome> {
    const parsed = viewSubmissionSchema.safeParse(raw);
    const meta = parsed.success ? readMetadata(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !meta?.ref || !meta.kind) {
      this.dropped('view_submission');
      return {};
    }
    const user = parsed.data.user.id;
    const fields = ['date', 'meetingPoint', 'note'] as const;
    const read = readModalValues(parsed.data.view, fields);
    const values = Object.fromEntries(
      fields.flatMap((f) => (typeof read[f] === 'string' ? [[f, read[f]]] : [])),
    ) as DecisionValues;
    const blocks = meta.kind === 'approve' ? ['date', 'meetingPoint', 'note'] : ['note'];
    const actor = await this.visitActor(client, user);
    if (!actor) {
      const message = this.deps.runtime.i18n.t(meta.lang, 'visits')('decide.groupsUnavailable');
      const errors = [{ field: blocks[0] ?? 'note', message }];
      return { ack: { response_action: 'errors', errors: modalErrors(errors, blocks) } };
    }
    const outcome = await this.deps.runtime.visitNotices.decide(
      meta.ref,
      meta.kind,
      values,
      actor,
      meta.lang,
      // A name, not a mention: reply text is escaped, and the post should not ping anyone.
      parsed.data.user.username ?? parsed.data.user.name ?? user,
    );
    if (!outcome.ok) {
      const errors =
        'errors' in outcome
          ? outcome.errors
          : [{ field: blocks[0] ?? 'note', message: outcome.refused.text }];
      return { ack: { response_action: 'errors', errors: modalErrors(errors, blocks) } };
    }
    const channel = meta.channel;
    return {
      after: async () => {
        if (channel)
          await this.deps.delivery.visible(client, { channel, user }, this.render(outcome.reply), meta.lang);
        await outcome.notify();
      },
    };
  }

  /**
   * A submitted visit modal: field errors for the ack (`response_action: errors`, one message per
   * field; Slack keeps the user's values), or an empty ack and then the reference and summary by
   * direct message.
   */
  async onViewSubmission(raw: unknown, client: WebClient): Promise<ViewOutcome> {
    const parsed = viewSubmissionSchema.safeParse(raw);
    if (!parsed.success) {
      this.dropped('view_submission');
      return {};
    }
    const body = parsed.data;
    const user = body.user.id;
    const meta = readMetadata(body.view.private_metadata);
    const lang = meta?.lang ?? (await this.userLang(user, await this.deps.locales.get(client, user)));
    const { i18n, visitForms, logger } = this.deps.runtime;
    let result: Awaited<ReturnType<typeof visitForms.submit>>;
    try {
      result = await visitForms.submit(readVisitValues(body.view), { platform: 'slack', userId: user }, lang);
    } catch (err) {
      // Keep the modal open with the user's values and a polite line, rather than losing them.
      logger.error({ err }, 'slack: could not submit a visit request');
      const failed = i18n.t(lang, 'slack')('errors.failed');
      return { ack: { response_action: 'errors', errors: { organization: failed } } };
    }
    if (!result.ok) return { ack: { response_action: 'errors', errors: modalErrors(result.errors) } };
    const { reply, ref } = result;
    // The empty ack closes the modal; the summary follows in the app's direct messages.
    return {
      after: async () => {
        await this.deps.delivery.visible(client, { channel: user, user }, this.render(reply), lang);
        await this.deps.runtime.visitNotices.submitted(ref);
      },
    };
  }

  /** The assistant's reply, past the rate limits; undefined when the bot stays silent. */
  private async ask(q: Question): Promise<Reply | undefined> {
    const msg: IncomingMessage = {
      platform: 'slack',
      userId: q.target.user,
      channelId: q.target.channel,
      text: q.text,
      direct: q.direct,
      // Asked of Slack (`users.info`, cached) only when the turn's language comes down to it.
      localeLookup: () => this.deps.locales.get(q.client, q.target.user),
      ...(q.action ? { action: q.action } : {}),
      ...(q.thread ? { thread: q.thread } : {}),
      ...(await this.groupsOf(q.client, q.target.user)),
    };
    const reply = await answer(this.deps.runtime, msg, { eventId: q.eventId });
    const { logger } = this.deps.runtime;
    // Every message passes here: no log object is built while debug is off.
    if (logger.isLevelEnabled('debug'))
      logger.debug({ intent: reply?.intent, lang: reply?.lang }, 'slack: answering');
    return reply;
  }

  /** The coordinator user groups a user is in (member lists cached); none when Slack could not tell. */
  private async groupsOf(client: WebClient, user: string): Promise<{ groups?: string[] }> {
    const { userGroups } = this.deps;
    if (!userGroups.configured) return {};
    const groups = await userGroups.of(client, user);
    return groups ? { groups } : {};
  }

  private render(reply: Reply, userText = '') {
    return renderReply(reply, this.deps.runtime.i18n, { userText });
  }

  /**
   * Where a visible answer goes: inside the thread when the question is in one; in a channel, a new
   * thread under the question (Slack's convention for bots), unless SLACK_REPLY_IN_THREAD=false.
   */
  private thread(
    e: { ts: string; thread_ts?: string | undefined },
    direct: boolean,
  ): Pick<Target, 'threadTs'> {
    if (e.thread_ts) return { threadTs: e.thread_ts };
    return !direct && this.deps.settings.replyInThread ? { threadTs: e.ts } : {};
  }

  /** The user's language for notices the assistant does not write: their choice, then Slack's locale. */
  private async userLang(userId: string, localeHint: string | undefined): Promise<Lang> {
    const prefs = await this.deps.runtime.store.getUser(`slack:${userId}`);
    return prefs.lang ?? prefs.detectedLang ?? normalizeLocale(localeHint) ?? DEFAULT_LANG;
  }

  private dropped(what: string, level: 'debug' | 'warn' = 'warn'): void {
    this.deps.runtime.logger[level](
      { payload: what },
      'slack: ignored a payload that does not match its schema',
    );
  }
}
