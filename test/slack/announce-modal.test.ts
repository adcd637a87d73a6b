/**
 * End-to-end: `/koban-announce` through the Slack modal, with the real Bolt app against the fake
 * Slack in both modes: a coordinator opens the modal, a bad time gets a field error in their
 * language, a valid one gets the preview (targets and languages) by DM with Confirm and Cancel,
 * Confirm queues it (a row in the store, the reference in the answer); anyone else is refused and
 * audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, slashCommand, viewSubmission } from '../fakes/slack-payloads.js';
import type { ApiCall } from '../fakes/slack-server.js';
import { buttons, CHANNEL, closeSlackRuntime, type SlackHarness, shown, startSlack } from './harness.js';

afterAll(closeSlackRuntime);

const COORDINATOR = 'U0COORD001';

describe.each(['socket', 'http'] as const)('/koban-announce in a Slack modal (%s mode)', (mode) => {
  let slack: SlackHarness;
  const outsider = mode === 'socket' ? 'U0OUTSID01' : 'U0OUTSID02';
  beforeAll(async () => {
    slack = await startSlack(mode, {
      env: {
        KOBAN_COORDINATORS: `slack:${COORDINATOR}`,
        KOBAN_CHANNEL_COURSES: 'slack:C0KOBAN=koban-seminar-2027,slack:C0CRIM=crim-id-2027',
        KOBAN_CHANNEL_LANGUAGES: 'slack:C0KOBAN=id+en,slack:C0CRIM=tr',
      },
    });
    slack.fake.locales.set(COORDINATOR, 'ja-JP');
    slack.fake.locales.set(outsider, 'tr-TR');
  });
  afterAll(async () => {
    await slack?.close();
  });

  const t = () => slack.runtime.i18n.t('ja', 'announcements');
  const lastModal = (): Record<string, unknown> => {
    const call = slack.fake.callsTo('views.open', { ok: true }).at(-1);
    return (call?.args.view ?? {}) as Record<string, unknown>;
  };
  const dmsTo = (u: string): ApiCall[] =>
    slack.fake.callsTo('chat.postMessage', { ok: true }).filter((c) => c.args.channel === u);
  const announce = (user: string) =>
    slack.command(
      slashCommand('/koban-announce', '', { user, channel: CHANNEL, responseUrl: slack.fake.responseUrl() }),
    );

  it('refuses someone who is not a coordinator, politely and audited, without a modal', async () => {
    const opened = slack.fake.callsTo('views.open').length;
    await announce(outsider);
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);
    const refusal = slack.fake.callsTo('chat.postEphemeral', { ok: true }).at(-1);
    expect(refusal?.args.user).toBe(outsider);
    expect(refusal?.args.text).toBe(slack.runtime.i18n.t('tr', 'announcements')('form.refused'));
    const audit = await slack.runtime.store.audit.list();
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: `slack:${outsider}`, action: 'announce.open', outcome: 'refused' }),
    );
  });

  it('opens the modal for a coordinator, shows field errors, previews, and queues on Confirm', async () => {
    const opened = slack.fake.callsTo('views.open').length;
    await announce(COORDINATOR);
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened + 1);
    const view = lastModal();
    expect(view.callback_id).toBe('koban_announce');
    expect(view.title).toEqual({ type: 'plain_text', text: t()('form.title') });
    const blocks = view.blocks as Array<{ block_id: string; label: { text: string } }>;
    expect(blocks.map((b) => b.block_id)).toEqual(['audienceKind', 'audienceValue', 'when', 'lang', 'text']);
    expect(blocks[0]?.label.text).toBe(t()('form.fields.audienceKind'));

    const text = `Bus to the Koban leaves at 8:15 (${mode})`;
    const good = {
      audienceKind: { option: 'course' },
      audienceValue: 'koban-seminar-2027',
      lang: { option: 'en' },
      text,
    };
    const before = (await slack.runtime.announcements.list()).length;
    const wrong = await slack.submit(
      viewSubmission(COORDINATOR, view, {
        ...good,
        when: 'tomorrow morning',
        audienceValue: 'no-such-course',
      }),
    );
    expect(wrong.response_action).toBe('errors');
    const errors = wrong.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(['when']);
    expect(errors.when).toBe(t()('form.errors.when'));
    // With the time fixed, the service's own check finds the unknown course, worded in Japanese.
    const course = await slack.submit(
      viewSubmission(COORDINATOR, view, { ...good, audienceValue: 'no-such-course' }),
    );
    expect(Object.keys(course.errors as Record<string, string>)).toEqual(['audienceValue']);
    expect(String((course.errors as Record<string, string>).audienceValue)).toContain('no-such-course');
    expect(dmsTo(COORDINATOR)).toHaveLength(0);

    const ok = await slack.submit(viewSubmission(COORDINATOR, view, good));
    expect(ok.response_action).toBeUndefined();
    expect(await slack.runtime.announcements.list()).toHaveLength(before);
    const preview = dmsTo(COORDINATOR).at(-1);
    expect(shown(preview)).toContain('slack:C0KOBAN');
    expect(shown(preview)).toContain('Bahasa Indonesia');
    expect(shown(preview)).not.toContain('slack:C0CRIM');
    const [confirm, cancel] = buttons(preview);
    expect(confirm?.text.text).toBe(t()('form.confirm'));
    expect(cancel?.text.text).toBe(t()('form.cancel'));
    if (!confirm) throw new Error('no Confirm button');

    // Someone else clicking a coordinator's Confirm gets nothing queued.
    const click = (user: string) =>
      slack.action(
        blockActions({ user, channel: COORDINATOR, button: confirm, responseUrl: slack.fake.responseUrl() }),
      );
    await click(outsider);
    expect(await slack.runtime.announcements.list()).toHaveLength(before);

    await click(COORDINATOR);
    const list = await slack.runtime.announcements.list();
    expect(list).toHaveLength(before + 1);
    const created = list.find((a) => a.content.includes(text));
    expect(created?.createdBy).toBe(`slack:${COORDINATOR}`);
    const status = await slack.runtime.announcements.status(created?.ref ?? 'A-0');
    expect(status?.targets.map((x) => x.target)).toEqual(['slack:C0KOBAN']);
    const answer = slack.fake.callsTo('chat.postMessage', { ok: true }).at(-1);
    expect(String(answer?.args.text)).toContain(created?.ref ?? 'no ref');

    // The same draft cannot be sent twice.
    await click(COORDINATOR);
    expect(await slack.runtime.announcements.list()).toHaveLength(before + 1);
  });
});
