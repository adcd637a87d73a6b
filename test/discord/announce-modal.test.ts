/**
 * End to end on Discord: `/announce` with the real discord.js client against the fake Discord: a
 * coordinator's modal, a bad time listed as a problem with a button that reopens the modal with the
 * values kept, a valid submission previewed privately (targets and languages) with Confirm and
 * Cancel, Confirm queues it (a row in the store, the reference in the answer); anyone else is
 * refused and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { Adapter } from '../../src/core/adapter.js';
import { buttonsOf, FakeDiscordServer, modalInputs, user } from '../fakes/discord-server.js';
import { pointedAt, type TestRuntime, testDiscordRuntime } from './bot.js';

const EPHEMERAL = 64;
const COORDINATOR = user('900000000000000001', 'aiko');

let shared: TestRuntime;
let bot: { fake: FakeDiscordServer; adapter: Adapter };
let course: string;
beforeAll(async () => {
  const fake = await FakeDiscordServer.start();
  course = fake.channels.trainees;
  shared = await testDiscordRuntime({
    KOBAN_COORDINATORS: `discord:${COORDINATOR.id}`,
    KOBAN_CHANNEL_COURSES: `discord:${course}=koban-seminar-2027`,
    KOBAN_CHANNEL_LANGUAGES: `discord:${course}=vi+en`,
  });
  const adapter = createDiscordAdapter(pointedAt(shared.runtime, fake));
  bot = { fake, adapter };
  await adapter.start();
});
afterAll(async () => {
  await bot?.adapter.stop();
  await bot?.fake.close();
  await shared?.runtime.close();
});

const buttons = buttonsOf;
const answerTo = (interactionId: string) => bot.fake.answerTo(interactionId);
const modalFor = (interactionId: string) => bot.fake.modalFor(interactionId);
const inputs = modalInputs;

describe('/announce in a Discord modal', () => {
  it('refuses someone who is not a coordinator, politely and audited', async () => {
    const { fake } = bot;
    const outsider = user(fake.snowflake(), 'emre');
    const modals = fake.modals.length;
    const refusal = await answerTo(fake.runSlashCommand(outsider, 'announce', [], { locale: 'tr' }).id);
    expect(fake.modals).toHaveLength(modals);
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refusal.message.embeds[0]?.description ?? '').toContain(
      shared.runtime.i18n.t('tr', 'announcements')('form.refused'),
    );
    expect(await shared.runtime.store.audit.list()).toContainEqual(
      expect.objectContaining({
        actor: `discord:${outsider.id}`,
        action: 'announce.open',
        outcome: 'refused',
      }),
    );
  });

  it('takes a coordinator from the modal through a problem and the preview to a queued announcement', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const t = runtime.i18n.t('ja', 'announcements');
    const where = { locale: 'ja' };
    const modal = await modalFor(fake.runSlashCommand(COORDINATOR, 'announce', [], where).id);
    expect(String(modal.data.title)).toBe(t('form.title'));
    expect(inputs(modal).map((i) => i.custom_id)).toEqual([
      'audienceKind',
      'audienceValue',
      'when',
      'lang',
      'text',
    ]);
    expect(inputs(modal).find((i) => i.custom_id === 'lang')?.value).toBe('ja');

    const text = 'Xe buýt đến Koban khởi hành lúc 8:15';
    const good = { audienceKind: '2', audienceValue: 'koban-seminar-2027', lang: 'vi', text };
    const problems = await answerTo(
      fake.submitModal(COORDINATOR, modal, { ...good, when: 'morgen' }, where).id,
    );
    expect(problems.message.embeds[0]?.description ?? '').toContain(t('form.errors.when'));
    expect(await runtime.announcements.list()).toHaveLength(0);
    const fix = buttons(problems)[0];
    const reopened = await modalFor(
      fake.clickComponent(COORDINATOR, problems.message, String(fix?.custom_id), where).id,
    );
    expect(inputs(reopened).find((i) => i.custom_id === 'when')?.value).toBe('morgen');
    expect(inputs(reopened).find((i) => i.custom_id === 'text')?.value).toBe(text);

    const preview = await answerTo(fake.submitModal(COORDINATOR, reopened, good, where).id);
    expect(preview.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(preview.message.embeds[0]?.description ?? '').toContain(`discord:${course}`);
    expect(preview.message.embeds[0]?.description ?? '').toContain('Tiếng Việt');
    expect(await runtime.announcements.list()).toHaveLength(0);
    const [confirm, cancel] = buttons(preview);
    expect(confirm?.label).toBe(t('form.confirm'));
    expect(cancel?.label).toBe(t('form.cancel'));

    const queued = await answerTo(
      fake.clickComponent(COORDINATOR, preview.message, String(confirm?.custom_id), where).id,
    );
    const list = await runtime.announcements.list();
    expect(list).toHaveLength(1);
    const ref = list[0]?.ref ?? 'no ref';
    expect(list[0]?.createdBy).toBe(`discord:${COORDINATOR.id}`);
    expect(queued.message.embeds[0]?.description ?? '').toContain(ref);
    const status = await runtime.announcements.status(ref);
    expect(status?.targets.map((x) => [x.target, x.lang])).toEqual([[`discord:${course}`, ['vi', 'en']]]);

    // Confirm again: the draft is gone, nothing more is queued.
    await answerTo(fake.clickComponent(COORDINATOR, preview.message, String(confirm?.custom_id), where).id);
    expect(await runtime.announcements.list()).toHaveLength(1);
  });
});
