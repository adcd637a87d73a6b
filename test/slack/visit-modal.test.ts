/**
 * End-to-end: a visit request through the Slack modal, with the real Bolt app against the fake
 * Slack in both modes: `/koban-visit` opens the modal, a submission with problems gets field errors
 * in the user's language, the fixed one is stored and the requester gets the reference by DM.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_PREFIX } from '../../src/adapters/slack/block-kit.js';
import { dayProblem } from '../../src/engines/visits/capacity.js';
import {
  blockActions,
  directMessage,
  type ModalInput,
  slashCommand,
  viewSubmission,
} from '../fakes/slack-payloads.js';
import type { ApiCall } from '../fakes/slack-server.js';
import { databaseEnv } from '../helpers/postgres.js';
import { buttons, CHANNEL, closeSlackRuntime, type SlackHarness, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

const COORDINATOR = 'U0COORD001';
const COORDINATOR_ENV = `slack:${COORDINATOR},cli:office`;
const COORDS = 'C0COORDS01';

/** A day the center takes visits, well past the notice period. */
function openDay(slack: SlackHarness, skip = 0): string {
  const rules = slack.runtime.visits.rules();
  const now = new Date();
  let found = 0;
  for (let d = rules.minLeadDays + 10; d < 400; d++) {
    const day = new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    if (dayProblem(day, rules, new Map(), now) === undefined && found++ === skip) return day;
  }
  throw new Error('no open day found');
}

const GOOD: Record<string, ModalInput> = {
  organization: 'Kepolisian Daerah Bali',
  country: 'Indonesia',
  contactName: 'Made Wirawan',
  contactEmail: 'made@example.org',
  groupSize: '12',
  interests: { options: ['koban', 'command-center'] },
  language: 'Bahasa Indonesia',
  interpreter: { option: 'yes' },
};

// Socket Mode on PostgreSQL (when it is available), HTTP mode on SQLite.
describe.each([
  { mode: 'socket', store: 'postgres' },
  { mode: 'http', store: 'sqlite' },
] as const)('visit requests in a Slack modal ($mode mode on $store)', ({ mode, store }) => {
  let slack: SlackHarness;
  const user = mode === 'socket' ? 'U0VISITID1' : 'U0VISITID2';
  beforeAll(async () => {
    slack = await startSlack(mode, {
      env: {
        KOBAN_COORDINATORS: COORDINATOR_ENV,
        KOBAN_COORDINATOR_CHANNELS: `slack:${COORDS}`,
        ...(await databaseEnv(store)),
      },
    });
    slack.fake.locales.set(user, 'id-ID');
  });
  afterAll(async () => {
    await slack?.close();
  });

  const t = () => slack.runtime.i18n.t('id', 'visits');
  const lastModal = (): Record<string, unknown> => {
    const call = slack.fake.callsTo('views.open', { ok: true }).at(-1);
    return (call?.args.view ?? {}) as Record<string, unknown>;
  };
  const dmsTo = (u: string): ApiCall[] =>
    slack.fake.callsTo('chat.postMessage', { ok: true }).filter((c) => c.args.channel === u);

  it('opens the modal in Indonesian on /koban-visit, then refuses, then accepts the request', async () => {
    const opened = slack.fake.callsTo('views.open').length;
    await slack.command(
      slashCommand('/koban-visit', '', { user, channel: CHANNEL, responseUrl: slack.fake.responseUrl() }),
    );
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened + 1);
    const view = lastModal();
    expect(view.callback_id).toBe('koban_visit');
    expect(view.title).toEqual({ type: 'plain_text', text: t()('form.title') });
    const blocks = view.blocks as Array<{ block_id: string; optional: boolean; label: { text: string } }>;
    expect(blocks.map((b) => b.block_id)).toContain('contactEmail');
    expect(blocks.find((b) => b.block_id === 'contactEmail')?.label.text).toBe(t()('fields.contactEmail'));
    expect(blocks.find((b) => b.block_id === 'notes')?.optional).toBe(true);

    const wrong = await slack.submit(
      viewSubmission(user, view, {
        ...GOOD,
        contactEmail: 'made-at-example',
        groupSize: '50',
        preferredDates: 'next month',
      }),
    );
    expect(wrong.response_action).toBe('errors');
    const errors = wrong.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(['contactEmail', 'groupSize', 'preferredDates']);
    expect(errors.contactEmail).toContain(t()('fields.contactEmail'));
    expect(errors.groupSize).toContain('20');
    expect(dmsTo(user)).toHaveLength(0);
    expect(await slack.runtime.visits.mine({ platform: 'slack', userId: user })).toHaveLength(0);

    // Each mode approves its request below: one visit per day, so each asks for a different day.
    const day = openDay(slack, mode === 'socket' ? 0 : 1);
    const ok = await slack.submit(viewSubmission(user, view, { ...GOOD, preferredDates: day }));
    expect(ok.response_action).toBeUndefined();
    const mine = await slack.runtime.visits.mine({ platform: 'slack', userId: user });
    expect(mine).toHaveLength(1);
    const record = mine[0];
    expect(record?.status).toBe('submitted');
    expect(record?.preferredDates).toEqual([day]);
    const dm = dmsTo(user).at(-1);
    expect(String(dm?.args.text)).toContain(record?.ref ?? 'no ref');
    expect(String(dm?.args.text)).toContain(t()('statuses.submitted'));
    expect(JSON.stringify(dm?.args.blocks)).toContain('Kepolisian Daerah Bali');
  });

  it('posts the request to the coordinators; a coordinator approves; the requester gets the DM in Indonesian', async () => {
    const record = (await slack.runtime.visits.mine({ platform: 'slack', userId: user }))[0];
    expect(record).toBeDefined();
    const ref = record?.ref ?? '';
    const posted = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .filter((c) => c.args.channel === COORDS && String(c.args.text).includes(ref));
    expect(posted).toHaveLength(1);
    const decide = buttons(posted[0]).map(
      (b) => JSON.parse(b.value) as { type: string; kind: string; ref: string },
    );
    expect(decide.map((d) => d.kind)).toEqual(['approve', 'decline', 'needs-info']);
    const approve = buttons(posted[0])[0];
    if (!approve) throw new Error('no Approve button');
    const click = (by: string) =>
      slack.action(
        blockActions({
          user: by,
          channel: COORDS,
          button: approve,
          responseUrl: slack.fake.responseUrl(),
          message: { ts: '1767225600.000009' },
        }),
      );

    // Someone who is not a coordinator: refused in their language, nothing opened, the attempt audited.
    const outsider = mode === 'socket' ? 'U0OUTSID01' : 'U0OUTSID02';
    slack.fake.locales.set(outsider, 'tr-TR');
    const opened = slack.fake.callsTo('views.open').length;
    await click(outsider);
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);
    const refusal = slack.fake.callsTo('chat.postEphemeral', { ok: true }).at(-1);
    expect(refusal?.args.user).toBe(outsider);
    expect(refusal?.args.text).toBe(slack.runtime.i18n.t('tr', 'visits')('decide.notCoordinator'));
    const audit = await slack.runtime.store.audit.list();
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: `slack:${outsider}`,
        action: 'visit.approve',
        target: ref,
        outcome: 'refused',
      }),
    );

    // The coordinator: a modal asking for the date and meeting point; a closed day is refused in it.
    await click(COORDINATOR);
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened + 1);
    const view = lastModal();
    expect(view.callback_id).toBe('koban_visit_decision');
    const rules = slack.runtime.visits.rules();
    let sunday = new Date(Date.now() + 60 * 86_400_000);
    while (sunday.getUTCDay() !== 0) sunday = new Date(sunday.getTime() + 86_400_000);
    expect(rules.closedWeekdays.size).toBeGreaterThan(0);
    const closed = await slack.submit(
      viewSubmission(COORDINATOR, view, {
        date: sunday.toISOString().slice(0, 10),
        meetingPoint: 'Main gate',
      }),
    );
    expect(closed.response_action).toBe('errors');
    expect(Object.keys(closed.errors as object)).toEqual(['date']);
    expect((await slack.runtime.visits.mine({ platform: 'slack', userId: user }))[0]?.status).toBe(
      'submitted',
    );

    const day = record?.preferredDates[0] ?? '';
    const uploads = slack.fake.uploads.length;
    const ok = await slack.submit(
      viewSubmission(COORDINATOR, view, { date: day, meetingPoint: 'Main gate, building A' }),
    );
    expect(ok.response_action).toBeUndefined();
    expect((await slack.runtime.visits.mine({ platform: 'slack', userId: user }))[0]?.status).toBe(
      'approved',
    );

    const dm = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .filter((c) => c.args.channel === `D${user.slice(1)}`)
      .at(-1);
    expect(String(dm?.args.text)).toContain(
      t()('notify.approved', { ref, date: day, place: 'Main gate, building A' }),
    );
    expect(slack.fake.uploads.length).toBe(uploads + 1);
    const file = slack.fake.callsTo('files.completeUploadExternal').at(-1);
    expect(file?.args.channel_id).toBe(`D${user.slice(1)}`);
    expect(JSON.stringify(file?.args.files)).toContain(`${ref}.ics`);
    const confirmation = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .filter((c) => c.args.channel === COORDS)
      .at(-1);
    expect(String(confirmation?.args.text)).toContain(COORDINATOR.toLowerCase());
  });

  it('delivers a decision made with `koban visits decide` once, in the requester language', async () => {
    const requester = mode === 'socket' ? 'U0CLIJA001' : 'U0CLIJA002';
    const submitted = await slack.runtime.visits.submit(
      { ...GOOD, interests: ['koban'], interpreter: false, preferredDates: [openDay(slack, 5)] },
      { platform: 'slack', userId: requester },
      'ja',
    );
    if (!submitted.ok) throw new Error('the request was refused');
    // What the CLI does: the decision only, with no platform running in that process.
    const decided = await slack.runtime.visits.decide(
      submitted.ref,
      { kind: 'decline', note: 'The center is closed for training that week.' },
      { platform: 'cli', userId: 'office' },
    );
    expect(decided.ok).toBe(true);
    expect(await slack.runtime.visitNotices.deliverPending()).toBe(1);
    const dm = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .filter((c) => c.args.channel === `D${requester.slice(1)}`);
    expect(dm).toHaveLength(1);
    expect(String(dm[0]?.args.text)).toContain(
      slack.runtime.i18n.t('ja', 'visits')('notify.declined', {
        ref: submitted.ref,
        note: 'The center is closed for training that week.',
      }),
    );
    expect(await slack.runtime.visitNotices.deliverPending()).toBe(0);
  });

  it('a coordinator asks for details; the requester answers by DM; the coordinators get the answer and the buttons again', async () => {
    const requester = mode === 'socket' ? 'U0ASKID001' : 'U0ASKID002';
    slack.fake.locales.set(requester, 'id-ID');
    const submitted = await slack.runtime.visits.submit(
      { ...GOOD, interests: ['koban'], interpreter: true, preferredDates: [openDay(slack, 7)] },
      { platform: 'slack', userId: requester },
      'id',
    );
    if (!submitted.ok) throw new Error('the request was refused');
    const { ref } = submitted;
    await slack.runtime.visitNotices.submitted(ref);
    const toCoords = () =>
      slack.fake
        .callsTo('chat.postMessage', { ok: true })
        .filter((c) => c.args.channel === COORDS && String(c.args.text).includes(ref));
    const ask = buttons(toCoords().at(-1))[2];
    if (!ask) throw new Error('no Ask for details button');
    await slack.action(
      blockActions({
        user: COORDINATOR,
        channel: COORDS,
        button: ask,
        responseUrl: slack.fake.responseUrl(),
        message: { ts: '1767225600.000011' },
      }),
    );
    const asked = await slack.submit(
      viewSubmission(COORDINATOR, lastModal(), { note: 'Berapa orang perwira dan berapa penerjemah?' }),
    );
    expect(asked.response_action).toBeUndefined();
    const dmChannel = `D${requester.slice(1)}`;
    const dms = () =>
      slack.fake.callsTo('chat.postMessage', { ok: true }).filter((c) => c.args.channel === dmChannel);
    await vi.waitFor(() => expect(dms()).toHaveLength(1));
    expect(String(dms()[0]?.args.text)).toContain(
      t()('notify.needs-info', { ref, note: 'Berapa orang perwira dan berapa penerjemah?' }),
    );

    const before = toCoords().length;
    await slack.event(
      directMessage(requester, '10 perwira dan 2 penerjemah', { channel: `D0${requester.slice(1)}` }),
    );
    const confirmation = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .filter((c) => c.args.channel === `D0${requester.slice(1)}`)
      .at(-1);
    expect(String(confirmation?.args.text)).toContain(t()('answer.done', { ref }));
    const record = await slack.runtime.store.visits.get(ref);
    expect(record?.status).toBe('submitted');
    expect(record?.history.at(-1)).toMatchObject({
      actor: `slack:${requester}`,
      note: '10 perwira dan 2 penerjemah',
    });
    expect(toCoords()).toHaveLength(before + 1);
    const again = toCoords().at(-1);
    expect(String(again?.args.text)).toContain('10 perwira dan 2 penerjemah');
    expect(buttons(again).map((b) => (JSON.parse(b.value) as { kind: string }).kind)).toEqual([
      'approve',
      'decline',
      'needs-info',
    ]);
  });

  it('opens the modal from the "Request a visit" button', async () => {
    const opened = slack.fake.callsTo('views.open').length;
    await slack.action(
      blockActions({
        user: 'U0VISITBTN',
        channel: CHANNEL,
        button: { action_id: `${ACTION_PREFIX}button_0`, value: JSON.stringify({ type: 'visit' }) },
        responseUrl: slack.fake.responseUrl(),
        message: { ts: '1767225600.000001' },
      }),
    );
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened + 1);
    expect(lastModal().callback_id).toBe('koban_visit');
  });

  it('ignores a submission that does not match the schema, without closing anything on error', async () => {
    const before = slack.fake.calls.length;
    const answer = await slack.submit({
      ...viewSubmission(user, lastModal(), GOOD),
      user: { id: 'not a user' },
    });
    expect(answer.response_action).toBeUndefined();
    expect(slack.fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });
});
