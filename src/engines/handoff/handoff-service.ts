/**
 * Hand-off to a person: a user's question, language and last turns posted to the coordinator
 * channel of their platform as a new post whose thread carries the conversation; coordinators'
 * replies in that thread reach the user by direct message, the user's messages go to the thread,
 * until a coordinator closes it or it expires. Platforms come in as senders; this file knows none.
 * Every open, relay, forward and close is audited with ids and lengths only, never the text.
 */
import { AUTONYMS, type Lang } from '../../core/languages.js';
import { makeReply, type Reply, type ReplyButton } from '../../core/reply.js';
import type { OutboxSender } from '../../core/sender.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { AuditRepo } from '../../stores/audit.js';
import type { TurnRecord } from '../../stores/context.js';
import type { Handoff, HandoffRepo } from '../../stores/handoffs.js';
import type { Coordinators } from '../visits/coordinators.js';

/** What a hand-off needs of a platform's sender. */
export type HandoffSender = Pick<OutboxSender, 'platform' | 'publish' | 'update' | 'post' | 'dm'>;

/** The text of the Close button's action, and what a coordinator may type in the thread instead. */
export const CLOSE_COMMAND = '/close-handoff';
const CLOSE_WORDS = new Set(['close', '!close', '/close']);
/** The "Talk to a person" button's text. */
export const PERSON_COMMAND = '/person';

export interface HandoffDeps {
  repo: HandoffRepo;
  audit: Pick<AuditRepo, 'record'>;
  senders: { get(platform: string): HandoffSender | undefined };
  coordinators: Pick<Coordinators, 'isCoordinator'>;
  /** `KOBAN_COORDINATOR_CHANNELS`, e.g. `slack:C0123`. */
  channels: readonly string[];
  i18n: I18nService;
  /** Open hand-offs expire after this many hours (`KOBAN_HANDOFF_HOURS`). */
  hours: number;
  /** The "sent to the coordinator" acknowledgement is given at most once per this many minutes. */
  ackMinutes?: number;
  /** The language of coordinator posts. */
  coordinatorLang?: Lang;
}

export interface OpenRequest {
  platform: string;
  userId: string;
  conversationId?: string | undefined;
  lang: Lang;
  question: string;
  turns: readonly TurnRecord[];
}

/** What became of a message in a hand-off thread. */
export type ThreadOutcome = 'none' | 'ignored' | 'relayed' | 'closed' | 'already-closed';

export const handoffRef = (h: Pick<Handoff, 'id'>): string => `H-${h.id}`;

function reply(lang: Lang, text: string, extra: Partial<Reply> = {}): Reply {
  return makeReply({ ...extra, intent: 'handoff', lang, text });
}

/** Quotes a person's text as a Markdown block quote (its own markup is escaped by the renderers). */
function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

export class HandoffService {
  constructor(private readonly deps: HandoffDeps) {}

  private get coordinatorLang(): Lang {
    return this.deps.coordinatorLang ?? 'en';
  }

  /** The coordinator channel of a platform, if one is configured. */
  channelFor(platform: string): string | undefined {
    const prefix = `${platform}:`;
    return this.deps.channels.find((c) => c.startsWith(prefix))?.slice(prefix.length);
  }

  /** True when a hand-off can be opened on `platform` now (a coordinator channel and a running sender). */
  available(platform: string): boolean {
    return this.channelFor(platform) !== undefined && this.deps.senders.get(platform) !== undefined;
  }

  /** The user's open hand-off; one past its time is closed here (audited) and not returned. */
  async current(userKey: string, now: Date): Promise<Handoff | undefined> {
    return await this.unexpired(await this.deps.repo.openFor(userKey), now);
  }

  /** `open` (the user's open hand-off as read) unless it has expired, which closes it. */
  async unexpired(open: Handoff | undefined, now: Date): Promise<Handoff | undefined> {
    if (!open) return undefined;
    if (now.getTime() - Date.parse(open.createdAt) < this.deps.hours * 3_600_000) return open;
    if (await this.deps.repo.close(open.id, now.toISOString()))
      await this.audit(now, 'system', 'handoff.expire', open);
    return undefined;
  }

  /** Posts the hand-off to the coordinators; undefined when no channel or sender is there. */
  async open(req: OpenRequest, now: Date): Promise<Handoff | undefined> {
    const channel = this.channelFor(req.platform);
    const sender = this.deps.senders.get(req.platform);
    if (!channel || !sender) return undefined;
    const t = this.deps.i18n.t(this.coordinatorLang);
    const language = AUTONYMS[req.lang];
    const turns = req.turns.map((turn) =>
      t(turn.from === 'user' ? 'handoff.post.userTurn' : 'handoff.post.botTurn', { text: turn.text }),
    );
    const text = [
      t('handoff.post.intro', { platform: req.platform, language, lang: req.lang }),
      t('handoff.post.question'),
      quote(req.question),
      ...(turns.length > 0 ? [t('handoff.post.turns'), quote(turns.join('\n'))] : []),
      t('handoff.post.howto'),
    ].join('\n\n');
    const quoted = [req.question, ...req.turns.map((x) => x.text)].join('\n');
    const post = reply(this.coordinatorLang, text, { title: t('handoff.post.title'), quoted });
    const messageId = await sender.publish(channel, post);
    // Discord splits long posts: the thread hangs on the first message.
    const threadId = messageId.split(',')[0] ?? messageId;
    const handoff = await this.deps.repo.create({
      userKey: `${req.platform}:${req.userId}`,
      platform: req.platform,
      userId: req.userId,
      conversationId: req.conversationId,
      channelId: channel,
      threadId,
      lang: req.lang,
      createdAt: now.toISOString(),
    });
    const close: ReplyButton = {
      label: t('handoff.post.close'),
      action: { type: 'say', text: `${CLOSE_COMMAND} ${handoff.id}` },
    };
    const ref = handoffRef(handoff);
    await sender.update(channel, messageId, {
      ...post,
      title: `${t('handoff.post.title')} (${ref})`,
      buttons: [close],
    });
    await this.audit(now, `${req.platform}:${req.userId}`, 'handoff.open', handoff, req.question.length);
    return handoff;
  }

  /**
   * A user's message while their hand-off is open: posted in its thread. True when the user should
   * be told it was sent (at most once per `ackMinutes`).
   */
  async forward(handoff: Handoff, text: string, now: Date): Promise<boolean> {
    const sender = this.deps.senders.get(handoff.platform);
    if (!sender) throw new Error(`no ${handoff.platform} sender for hand-off ${handoff.id}`);
    const t = this.deps.i18n.t(this.coordinatorLang);
    await sender.post(
      handoff.channelId,
      reply(this.coordinatorLang, `${t('handoff.post.userSays')}\n\n${quote(text)}`, { quoted: text }),
      { threadId: handoff.threadId },
    );
    await this.audit(now, handoff.userKey, 'handoff.forward', handoff, text.length);
    const ackMs = (this.deps.ackMinutes ?? 5) * 60_000;
    if (handoff.ackedAt && now.getTime() - Date.parse(handoff.ackedAt) < ackMs) return false;
    await this.deps.repo.acked(handoff.id, now.toISOString());
    return true;
  }

  /**
   * A message in a thread of a coordinator channel: a coordinator's answer is relayed to the user,
   * "close" closes the hand-off; anybody else's message is ignored (and audited).
   */
  async threadMessage(
    msg: { platform: string; userId: string; groups?: readonly string[]; threadId: string; text: string },
    now: Date,
  ): Promise<ThreadOutcome> {
    const handoff = await this.deps.repo.byThread(msg.platform, msg.threadId);
    if (!handoff) return 'none';
    const actor = `${msg.platform}:${msg.userId}`;
    if (!this.deps.coordinators.isCoordinator({ ...msg })) {
      await this.audit(now, actor, 'handoff.relay', handoff, msg.text.length, 'refused');
      return 'ignored';
    }
    if (CLOSE_WORDS.has(msg.text.trim().toLowerCase())) return this.close(handoff.id, msg, now);
    if (handoff.state !== 'open') return 'already-closed';
    const sender = this.deps.senders.get(handoff.platform);
    if (!sender) throw new Error(`no ${handoff.platform} sender for hand-off ${handoff.id}`);
    const t = this.deps.i18n.t(handoff.lang);
    await sender.dm(
      handoff.userId,
      reply(handoff.lang, `${t('handoff.fromCoordinator')}\n\n${quote(msg.text)}`, { quoted: msg.text }),
    );
    await this.audit(now, actor, 'handoff.relay', handoff, msg.text.length);
    return 'relayed';
  }

  /** A coordinator closes hand-off `id` (the Close button or "close" in the thread); the user is told. */
  async close(
    id: number,
    by: { platform: string; userId: string; groups?: readonly string[] },
    now: Date,
  ): Promise<'closed' | 'already-closed' | 'ignored' | 'none'> {
    const handoff = await this.deps.repo.get(id);
    if (!handoff) return 'none';
    const actor = `${by.platform}:${by.userId}`;
    if (!this.deps.coordinators.isCoordinator(by)) {
      await this.audit(now, actor, 'handoff.close', handoff, undefined, 'refused');
      return 'ignored';
    }
    if (!(await this.deps.repo.close(id, now.toISOString()))) return 'already-closed';
    await this.audit(now, actor, 'handoff.close', handoff);
    const sender = this.deps.senders.get(handoff.platform);
    await sender?.dm(handoff.userId, reply(handoff.lang, this.deps.i18n.t(handoff.lang)('handoff.closed')));
    return 'closed';
  }

  private async audit(
    now: Date,
    actor: string,
    action: string,
    handoff: Handoff,
    length?: number,
    outcome: 'ok' | 'refused' = 'ok',
  ): Promise<void> {
    await this.deps.audit.record({
      at: now.toISOString(),
      actor,
      action,
      target: handoffRef(handoff),
      outcome,
      detail: `${handoff.platform}:${handoff.channelId}/${handoff.threadId}${length !== undefined ? ` length=${length}` : ''}`,
    });
  }
}
