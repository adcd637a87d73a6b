/**
 * End to end on Discord: a visit request through modals in three steps, with the real discord.js
 * client against the fake Discord: `/visit` opens step 1, "Continue" the next, problems come back
 * as a list with a button that reopens the step with the values kept, then the request is stored.
 * On PostgreSQL when it is available (the other Discord suites run on SQLite), else on SQLite.
 */
import type { APIButtonComponentWithCustomId } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import type { Adapter } from '../../src/core/adapter.js';
import { dayProblem } from '../../src/engines/visits/capacity.js';
import {
  buttonsOf,
  FakeDiscordServer,
  modalInputs,
  type SentMessage,
  user,
} from '../fakes/discord-server.js';
import { databaseEnv } from '../helpers/postgres.js';
import { pointedAt, type TestRuntime, testDiscordRuntime } from './bot.js';

const EPHEMERAL = 64;

const COORDINATOR = user('900000000000000001', 'aiko');

let shared: TestRuntime;
let bot: { fake: FakeDiscordServer; adapter: Adapter };
beforeAll(async () => {
  // The coordinators' channel is one of the fake's, so the fake starts before the runtime.
  const fake = await FakeDiscordServer.start();
  shared = await testDiscordRuntime({
    KOBAN_COORDINATORS: `discord:${COORDINATOR.id}`,
    KOBAN_COORDINATOR_CHANNELS: `discord:${fake.channels.trainees}`,
    ...(await databaseEnv('postgres')),
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

function openDay(skip = 0): string {
  const rules = shared.runtime.visits.rules();
  const now = new Date();
  for (let d = rules.minLeadDays + 10; d < 400; d++) {
    const day = new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    if (dayProblem(day, rules, new Map(), now) === undefined && skip-- === 0) return day;
  }
  throw new Error('no open day found');
}

const button = (sent: SentMessage) => buttonsOf(sent)[0];
const answerTo = (interactionId: string) => bot.fake.answerTo(interactionId);
const modalFor = (interactionId: string) => bot.fake.modalFor(interactionId);
const inputs = modalInputs;

describe('visit requests in Discord modals', () => {
  it('takes a request in Indonesian in three steps, lists the problems, keeps the values and stores it', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const t = runtime.i18n.t('id', 'visits');
    const dt = runtime.i18n.t('id', 'discord');
    const made = user(fake.snowflake(), 'made');
    const where = { locale: 'id' };

    const first = await modalFor(fake.runSlashCommand(made, 'visit', [], where).id);
    expect(String(first.data.title)).toContain(t('form.title'));
    expect(inputs(first).map((i) => i.custom_id)).toEqual([
      'organization',
      'country',
      'contactName',
      'contactEmail',
      'groupSize',
    ]);
    expect(inputs(first)[3]?.label).toBe(t('fields.contactEmail'));

    const saved1 = await answerTo(
      fake.submitModal(
        made,
        first,
        {
          organization: 'Kepolisian Daerah Bali',
          country: 'Indonesia',
          contactName: 'Made Wirawan',
          contactEmail: 'made-at-example',
          groupSize: '50',
        },
        where,
      ).id,
    );
    expect(saved1.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(button(saved1)?.label).toBe(dt('visit.continue', { n: 2, total: 3 }));

    const second = await modalFor(
      fake.clickComponent(made, saved1.message, String(button(saved1)?.custom_id), where).id,
    );
    expect(inputs(second).map((i) => i.custom_id)).toEqual([
      'preferredDates',
      'interests',
      'language',
      'interpreter',
    ]);
    const saved2 = await answerTo(
      fake.submitModal(
        made,
        second,
        { preferredDates: openDay(), interests: '1, 2', language: 'Bahasa Indonesia', interpreter: t('yes') },
        where,
      ).id,
    );
    const third = await modalFor(
      fake.clickComponent(made, saved2.message, String(button(saved2)?.custom_id), where).id,
    );
    expect(inputs(third).map((i) => i.custom_id)).toEqual(['needs', 'notes']);
    expect(inputs(third).every((i) => i.required === false)).toBe(true);

    const problems = await answerTo(fake.submitModal(made, third, {}, where).id);
    const listed = problems.message.embeds[0]?.description ?? '';
    expect(listed).toContain(dt('visit.problems'));
    expect(listed).toContain(t('fields.contactEmail'));
    expect(listed).toContain(t('fields.groupSize'));
    expect(listed).not.toContain(t('fields.interests'));
    expect(button(problems)?.label).toBe(dt('visit.fix'));
    expect(await runtime.visits.mine({ platform: 'discord', userId: made.id })).toHaveLength(0);

    // "Fix" reopens the first step with the problems, with what was typed still there.
    const again = await modalFor(
      fake.clickComponent(made, problems.message, String(button(problems)?.custom_id), where).id,
    );
    expect(inputs(again).find((i) => i.custom_id === 'organization')?.value).toBe('Kepolisian Daerah Bali');
    expect(inputs(again).find((i) => i.custom_id === 'contactEmail')?.value).toBe('made-at-example');
    const fixed = await answerTo(
      fake.submitModal(
        made,
        again,
        {
          organization: 'Kepolisian Daerah Bali',
          country: 'Indonesia',
          contactName: 'Made Wirawan',
          contactEmail: 'made@example.org',
          groupSize: '12',
        },
        where,
      ).id,
    );
    const cont2 = await modalFor(
      fake.clickComponent(made, fixed.message, String(button(fixed)?.custom_id), where).id,
    );
    expect(inputs(cont2).find((i) => i.custom_id === 'language')?.value).toBe('Bahasa Indonesia');
    const kept = Object.fromEntries(inputs(cont2).map((i) => [i.custom_id, i.value ?? '']));
    const next = await answerTo(fake.submitModal(made, cont2, kept, where).id);
    const last = await modalFor(
      fake.clickComponent(made, next.message, String(button(next)?.custom_id), where).id,
    );
    const done = await answerTo(fake.submitModal(made, last, { notes: 'Halal meals, please' }, where).id);

    const mine = await runtime.visits.mine({ platform: 'discord', userId: made.id });
    expect(mine).toHaveLength(1);
    expect(mine[0]?.status).toBe('submitted');
    const text = [done.message.embeds[0]?.title, done.message.embeds[0]?.description].join('\n');
    expect(text).toContain(mine[0]?.ref ?? 'no ref');
    expect(text).toContain(t('statuses.submitted'));
    expect(text).toContain(t('interests.command-center'));
    expect(done.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('posts the request to the coordinators; a coordinator approves; the requester gets the DM in Indonesian', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const requests = await runtime.store.visits.list({});
    const record = requests.find((r) => r.requester.startsWith('discord:'));
    const ref = record?.ref ?? 'none';
    const requester = user(record?.requester.slice('discord:'.length) ?? '0', 'made');
    const post = await fake.waitFor(
      () =>
        fake
          .sentTo(fake.channels.trainees)
          .find((m) => m.via === 'channel' && JSON.stringify(m.message.embeds).includes(ref)),
      'the coordinators post',
    );
    const ids = (post.message.components ?? []).flatMap((row) =>
      'components' in row
        ? (row.components as APIButtonComponentWithCustomId[])
            .filter((c) => c.type === 2)
            .map((c) => c.custom_id)
        : [],
    );
    expect(ids).toEqual([
      `koban:decide:approve:${ref}`,
      `koban:decide:decline:${ref}`,
      `koban:decide:needs-info:${ref}`,
    ]);

    const outsider = user(fake.snowflake(), 'emre');
    const refused = await answerTo(
      fake.clickComponent(outsider, post.message, ids[0] ?? '', { locale: 'tr' }).id,
    );
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.message.embeds[0]?.description).toBe(
      runtime.i18n.t('tr', 'visits')('decide.notCoordinator'),
    );
    expect(await runtime.store.audit.list()).toContainEqual(
      expect.objectContaining({
        actor: `discord:${outsider.id}`,
        action: 'visit.approve',
        target: ref,
        outcome: 'refused',
      }),
    );

    const modal = await modalFor(fake.clickComponent(COORDINATOR, post.message, ids[0] ?? '').id);
    expect(inputs(modal).map((i) => i.custom_id)).toEqual(['date', 'meetingPoint', 'note']);
    const missing = await answerTo(fake.submitModal(COORDINATOR, modal, { meetingPoint: 'Main gate' }).id);
    expect(missing.message.embeds[0]?.description).toContain(runtime.i18n.t('en', 'visits')('fields.date'));
    expect((await runtime.store.visits.get(ref))?.status).toBe('submitted');

    const day = record?.preferredDates[0] ?? '';
    const again = await modalFor(
      fake.clickComponent(COORDINATOR, missing.message, String(button(missing)?.custom_id)).id,
    );
    await answerTo(fake.submitModal(COORDINATOR, again, { date: day, meetingPoint: 'Main gate' }).id);
    expect((await runtime.store.visits.get(ref))?.status).toBe('approved');
    const dm = await fake.waitFor(
      () => fake.sentTo(fake.dmChannelOf(requester)).find((m) => m.via === 'channel'),
      'the DM to the requester',
    );
    expect(dm.message.embeds[0]?.description).toContain(
      runtime.i18n.t('id', 'visits')('notify.approved', { ref, date: day, place: 'Main gate' }),
    );
    expect(dm.files.map((f) => f.name)).toEqual([`${ref}.ics`]);
    expect(dm.files[0]?.content).toContain(`DTSTART;VALUE=DATE:${day.replaceAll('-', '')}`);
  });

  it('a coordinator asks for details; the requester answers by DM in Vietnamese; the coordinators get it with the buttons', async () => {
    const { fake } = bot;
    const { runtime } = shared;
    const lan = user(fake.snowflake(), 'lan');
    const submitted = await runtime.visits.submit(
      {
        organization: 'Bộ Công an',
        country: 'Viet Nam',
        contactName: 'Nguyen Lan',
        contactEmail: 'lan@example.vn',
        groupSize: 8,
        preferredDates: [openDay(3)],
        interests: ['koban'],
        language: 'Tiếng Việt',
        interpreter: true,
      },
      { platform: 'discord', userId: lan.id },
      'vi',
    );
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
    const { ref } = submitted;
    await runtime.visitNotices.submitted(ref);
    const postsAbout = () =>
      fake
        .sentTo(fake.channels.trainees)
        .filter((m) => m.via === 'channel' && JSON.stringify(m.message.embeds).includes(ref));
    const post = await fake.waitFor(() => postsAbout()[0], 'the coordinators post');
    const modal = await modalFor(
      fake.clickComponent(COORDINATOR, post.message, `koban:decide:needs-info:${ref}`).id,
    );
    await answerTo(fake.submitModal(COORDINATOR, modal, { note: 'How many interpreters?' }).id);
    expect((await runtime.store.visits.get(ref))?.status).toBe('needs-info');
    const vt = runtime.i18n.t('vi', 'visits');
    const question = await fake.waitFor(
      () => fake.sentTo(fake.dmChannelOf(lan)).find((m) => m.via === 'channel'),
      'the question to the requester',
    );
    expect(question.message.embeds[0]?.description).toContain(
      vt('notify.needs-info', { ref, note: 'How many interpreters?' }),
    );

    const dm = fake.sendDirectMessage(lan, 'Hai phiên dịch viên');
    const confirmation = await fake.waitFor(
      () =>
        fake
          .sentTo(dm.channel_id)
          .find((m) => JSON.stringify(m.message).includes(vt('answer.done', { ref }).slice(0, 40))),
      'the confirmation to the requester',
    );
    expect(JSON.stringify(confirmation.message)).toContain(ref);
    const record = await runtime.store.visits.get(ref);
    expect(record?.status).toBe('submitted');
    expect(record?.history.at(-1)).toMatchObject({ actor: `discord:${lan.id}`, note: 'Hai phiên dịch viên' });
    const repost = await fake.waitFor(() => postsAbout()[1], 'the answer posted to the coordinators');
    expect(JSON.stringify(repost.message.embeds)).toContain('Hai phiên dịch viên');
    expect(JSON.stringify(repost.message.components)).toContain(`koban:decide:approve:${ref}`);
  });

  it('opens the first step from the "Request a visit" button', async () => {
    const { fake } = bot;
    const rina = user(fake.snowflake(), 'rina');
    const asked = fake.runSlashCommand(rina, 'ask', [
      { name: 'question', value: 'How do we request a koban visit?' },
    ]);
    const answered = await answerTo(asked.id);
    const request = (answered.message.components ?? [])
      .flatMap((row) => ('components' in row ? (row.components as APIButtonComponentWithCustomId[]) : []))
      .find((c) => c.custom_id === 'koban:visit:start');
    expect(request).toBeDefined();
    const modal = await modalFor(fake.clickComponent(rina, answered.message, 'koban:visit:start').id);
    expect(String(modal.data.custom_id)).toBe('koban:visit-form:0');
  });
});
