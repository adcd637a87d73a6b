import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import {
  CLOSE_COMMAND,
  type HandoffSender,
  HandoffService,
} from '../../src/engines/handoff/handoff-service.js';
import { Coordinators } from '../../src/engines/visits/coordinators.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { KyselyStore } from '../../src/stores/kysely-store.js';

const T0 = new Date('2027-02-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const i18n = new I18nService();

/** A platform in memory: posts, thread posts, edits and DMs, in order. */
class MemorySender implements HandoffSender {
  readonly platform = 'slack' as const;
  readonly log: Array<{ kind: string; to: string; thread?: string | undefined; reply: Reply }> = [];
  private next = 0;

  async publish(channel: string, reply: Reply): Promise<string> {
    this.next += 1;
    this.log.push({ kind: 'publish', to: channel, reply });
    return `ts${this.next}`;
  }
  async update(channel: string, messageId: string, reply: Reply): Promise<void> {
    this.log.push({ kind: 'update', to: `${channel}/${messageId}`, reply });
  }
  async post(channel: string, reply: Reply, options?: { threadId?: string }): Promise<string> {
    this.log.push({ kind: 'post', to: channel, thread: options?.threadId, reply });
    return 'posted';
  }
  async dm(userId: string, reply: Reply): Promise<void> {
    this.log.push({ kind: 'dm', to: userId, reply });
  }
  of(kind: string) {
    return this.log.filter((e) => e.kind === kind);
  }
}

let store: KyselyStore;
let sender: MemorySender;
let service: HandoffService;

beforeEach(async () => {
  store = await KyselyStore.open({ path: join(mkdtempSync(join(tmpdir(), 'koban-handoff-')), 'k.db') });
  sender = new MemorySender();
  service = new HandoffService({
    repo: store.handoffs,
    audit: store.audit,
    senders: { get: (p) => (p === 'slack' ? sender : undefined) },
    coordinators: new Coordinators(['slack:UCOORD']),
    channels: ['slack:CCOORD', 'discord:999'],
    i18n,
    hours: 24,
  });
});
afterEach(async () => {
  await store.close();
});

const request = {
  platform: 'slack',
  userId: 'UTRAINEE',
  conversationId: 'DTRAINEE',
  lang: 'vi' as const,
  question: 'Tôi bị mất thẻ <!channel> *gấp*',
  turns: [
    { from: 'user' as const, text: 'the wifi password?', at: T0.toISOString() },
    { from: 'bot' as const, text: 'It is on the card in your room.', at: T0.toISOString() },
  ],
};

describe('HandoffService', () => {
  it('is available only where a coordinator channel and a sender are', () => {
    expect(service.available('slack')).toBe(true);
    expect(service.available('discord')).toBe(false);
    expect(service.available('web')).toBe(false);
  });

  it('posts the question, language and last turns, then adds the Close button', async () => {
    const h = await service.open(request, T0);
    if (!h) throw new Error('opened');
    const [post] = sender.of('publish');
    expect(post?.to).toBe('CCOORD');
    expect(post?.reply.text).toContain('> Tôi bị mất thẻ <!channel> *gấp*');
    expect(post?.reply.text).toContain('Tiếng Việt');
    expect(post?.reply.text).toContain('the wifi password?');
    expect(post?.reply.text).toContain('It is on the card in your room.');
    // The user's words are marked for the renderers to escape.
    expect(post?.reply.quoted).toContain('<!channel>');
    const [edit] = sender.of('update');
    expect(edit?.to).toBe('CCOORD/ts1');
    expect(edit?.reply.buttons[0]?.action).toEqual({ type: 'say', text: `${CLOSE_COMMAND} ${h.id}` });
    expect(h).toMatchObject({ threadId: 'ts1', channelId: 'CCOORD', lang: 'vi', state: 'open' });
    expect(await service.current('slack:UTRAINEE', at(1))).toMatchObject({ id: h.id });
  });

  it('relays only coordinators’ thread replies, with a localized prefix, and audits without text', async () => {
    const h = await service.open(request, T0);
    if (!h) throw new Error('opened');
    const stranger = await service.threadMessage(
      { platform: 'slack', userId: 'UOTHER', threadId: 'ts1', text: 'secret gossip' },
      at(2),
    );
    expect(stranger).toBe('ignored');
    expect(sender.of('dm')).toHaveLength(0);
    const relayed = await service.threadMessage(
      { platform: 'slack', userId: 'UCOORD', threadId: 'ts1', text: 'Come to room 204 *now*' },
      at(3),
    );
    expect(relayed).toBe('relayed');
    const [dm] = sender.of('dm');
    expect(dm?.to).toBe('UTRAINEE');
    expect(dm?.reply.lang).toBe('vi');
    expect(dm?.reply.text).toContain(i18n.t('vi')('handoff.fromCoordinator'));
    expect(dm?.reply.text).toContain('> Come to room 204 *now*');
    expect(dm?.reply.quoted).toBe('Come to room 204 *now*');
    expect(
      await service.threadMessage(
        { platform: 'slack', userId: 'UCOORD', threadId: 'nope', text: 'x' },
        at(3),
      ),
    ).toBe('none');
    const audit = await store.audit.list();
    expect(audit.map((a) => `${a.action} ${a.outcome} ${a.actor}`)).toEqual([
      'handoff.open ok slack:UTRAINEE',
      'handoff.relay refused slack:UOTHER',
      'handoff.relay ok slack:UCOORD',
    ]);
    const written = JSON.stringify(audit);
    expect(written).not.toContain('gossip');
    expect(written).not.toContain('room 204');
    expect(written).not.toContain('mất thẻ');
    expect(audit[2]?.detail).toContain(`length=${'Come to room 204 *now*'.length}`);
  });

  it('forwards the user’s messages to the thread and acknowledges at most once per five minutes', async () => {
    const h = await service.open(request, T0);
    if (!h) throw new Error('opened');
    expect(await service.forward(h, 'one', at(1))).toBe(true);
    const again = await service.current('slack:UTRAINEE', at(2));
    if (!again) throw new Error('still open');
    expect(await service.forward(again, 'two', at(2))).toBe(false);
    const later = await service.current('slack:UTRAINEE', at(7));
    if (!later) throw new Error('still open');
    expect(await service.forward(later, 'three', at(7))).toBe(true);
    const posts = sender.of('post');
    expect(posts.map((p) => [p.to, p.thread])).toEqual([
      ['CCOORD', 'ts1'],
      ['CCOORD', 'ts1'],
      ['CCOORD', 'ts1'],
    ]);
    expect(posts[1]?.reply.text).toContain('> two');
  });

  it('closes on "close" from a coordinator only, and tells the user in their language', async () => {
    const h = await service.open(request, T0);
    if (!h) throw new Error('opened');
    expect(await service.close(h.id, { platform: 'slack', userId: 'UOTHER' }, at(1))).toBe('ignored');
    expect(await service.current('slack:UTRAINEE', at(1))).toBeDefined();
    expect(
      await service.threadMessage(
        { platform: 'slack', userId: 'UCOORD', threadId: 'ts1', text: ' !Close ' },
        at(2),
      ),
    ).toBe('closed');
    expect(await service.current('slack:UTRAINEE', at(3))).toBeUndefined();
    const [dm] = sender.of('dm');
    expect(dm?.reply.text).toBe(i18n.t('vi')('handoff.closed'));
    expect(await service.close(h.id, { platform: 'slack', userId: 'UCOORD' }, at(4))).toBe('already-closed');
    expect(
      await service.threadMessage(
        { platform: 'slack', userId: 'UCOORD', threadId: 'ts1', text: 'hello?' },
        at(5),
      ),
    ).toBe('already-closed');
  });

  it('expires an open hand-off after the configured hours', async () => {
    await service.open(request, T0);
    expect(await service.current('slack:UTRAINEE', at(24 * 60 - 1))).toBeDefined();
    expect(await service.current('slack:UTRAINEE', at(24 * 60))).toBeUndefined();
    const audit = await store.audit.list();
    expect(audit.at(-1)).toMatchObject({ action: 'handoff.expire', actor: 'system', target: 'H-1' });
  });
});
