/**
 * End-to-end: a visit request through the Slack modal, with the real Bolt app against the fake
 * Slack in both modes: `/koban-visit` opens the modal, a submission with problems gets field errors
 * in the user's language, the fixed one is stored and the requester gets the reference by DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_PREFIX } from '../../src/adapters/slack/block-kit.js';
import { dayProblem } from '../../src/engines/visits/capacity.js';
import { blockActions, type ModalInput, slashCommand, viewSubmission } from '../fakes/slack-payloads.js';
import type { ApiCall } from '../fakes/slack-server.js';
import { CHANNEL, closeSlackRuntime, type SlackHarness, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

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

describe.each(['socket', 'http'] as const)('visit requests in a Slack modal (%s mode)', (mode) => {
  let slack: SlackHarness;
  const user = mode === 'socket' ? 'U0VISITID1' : 'U0VISITID2';
  beforeAll(async () => {
    slack = await startSlack(mode);
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

    const day = openDay(slack);
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
