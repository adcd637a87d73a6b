/**
 * `slack-group:` coordinators, with the real Bolt app against the fake Slack: membership comes from
 * `usergroups.users.list` (cached), a member may decide, anyone else is refused and audited, and a
 * failed look-up refuses politely and is logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayProblem } from '../../src/engines/visits/capacity.js';
import { blockActions, viewSubmission } from '../fakes/slack-payloads.js';
import { buttons, captureLog, closeSlackRuntime, type SlackHarness, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

const GROUP = 'S0COORDGRP';
const COORDS = 'C0COORDS02';
const MEMBER = 'U0MEMBER01';
const OUTSIDER = 'U0NOTMEMB1';

describe('slack-group: coordinators', () => {
  let slack: SlackHarness;
  const log = captureLog();
  beforeAll(async () => {
    slack = await startSlack('socket', {
      logger: log.logger,
      env: { KOBAN_COORDINATORS: `slack-group:${GROUP}`, KOBAN_COORDINATOR_CHANNELS: `slack:${COORDS}` },
    });
    slack.fake.userGroups.set(GROUP, ['U0SOMEONE1', MEMBER]);
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('checks membership with usergroups.users.list: refuses politely when Slack fails, lets a member decide, refuses and audits a non-member', async () => {
    const rules = slack.runtime.visits.rules();
    const now = new Date();
    let day = '';
    for (let d = rules.minLeadDays + 10; !day; d++) {
      const candidate = new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
      if (dayProblem(candidate, rules, new Map(), now) === undefined) day = candidate;
    }
    const submitted = await slack.runtime.visits.submit(
      {
        organization: 'Policia Nacional',
        country: 'Peru',
        contactName: 'Ana Quispe',
        contactEmail: 'ana@example.pe',
        groupSize: 5,
        preferredDates: [day],
        interests: ['koban'],
        language: 'Spanish',
        interpreter: true,
      },
      { platform: 'slack', userId: 'U0REQUEST1' },
      'en',
    );
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
    const { ref } = submitted;
    await slack.runtime.visitNotices.submitted(ref);
    const post = slack.fake
      .callsTo('chat.postMessage', { ok: true })
      .find((c) => c.args.channel === COORDS && String(c.args.text).includes(ref));
    const decline = buttons(post)[1];
    if (!decline) throw new Error('no Decline button');
    const click = (user: string) =>
      slack.action(
        blockActions({
          user,
          channel: COORDS,
          button: decline,
          responseUrl: slack.fake.responseUrl(),
          message: { ts: '1767225600.000021' },
        }),
      );
    const t = slack.runtime.i18n.t('en', 'visits');
    const lastEphemeral = () => slack.fake.callsTo('chat.postEphemeral', { ok: true }).at(-1);

    // Slack cannot answer (a missing scope): a polite refusal, nothing opened, the failure logged.
    slack.fake.failNext('usergroups.users.list', { error: 'missing_scope' });
    await click(MEMBER);
    expect(slack.fake.callsTo('views.open')).toHaveLength(0);
    expect(lastEphemeral()?.args.text).toBe(t('decide.groupsUnavailable'));
    expect(log.text()).toContain('could not read the members of a coordinator user group');

    // A member of the group: the decision modal, and the decision applied.
    await click(MEMBER);
    expect(slack.fake.callsTo('views.open', { ok: true })).toHaveLength(1);
    const view = slack.fake.callsTo('views.open', { ok: true })[0]?.args.view as Record<string, unknown>;
    const list = slack.fake.callsTo('usergroups.users.list');
    expect(list.at(-1)?.args.usergroup).toBe(GROUP);

    // Someone else: refused in the channel and audited; the member list came from the cache.
    await click(OUTSIDER);
    expect(slack.fake.callsTo('views.open')).toHaveLength(1);
    expect(lastEphemeral()?.args.user).toBe(OUTSIDER);
    expect(lastEphemeral()?.args.text).toBe(t('decide.notCoordinator'));
    expect(await slack.runtime.store.audit.list()).toContainEqual(
      expect.objectContaining({
        actor: `slack:${OUTSIDER}`,
        action: 'visit.decline',
        target: ref,
        outcome: 'refused',
      }),
    );
    const refusedSubmit = await slack.submit(viewSubmission(OUTSIDER, view, { note: 'No.' }));
    expect(refusedSubmit.response_action).toBe('errors');
    expect((await slack.runtime.store.visits.get(ref))?.status).toBe('submitted');

    const ok = await slack.submit(viewSubmission(MEMBER, view, { note: 'The center is closed that week.' }));
    expect(ok.response_action).toBeUndefined();
    expect((await slack.runtime.store.visits.get(ref))?.status).toBe('declined');
    expect(slack.fake.callsTo('usergroups.users.list')).toHaveLength(list.length);
  });
});
