/** The visit request as an HTML form, and the private status page its link opens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main.js';
import { startWeb, Visitor, type WebBot, webRuntime } from './harness.js';

const NOW = new Date('2027-01-20T03:00:00Z');
const clock = () => NOW;
const COORDINATOR = { platform: 'cli', userId: 'lead' };

let runtime: Runtime;
let bot: WebBot;
beforeAll(async () => {
  runtime = await webRuntime({ KOBAN_COORDINATORS: 'cli:lead' }, clock);
  bot = await startWeb(runtime, { clock });
}, 60_000);
afterAll(async () => {
  await bot.close();
  await runtime.close();
});

function fields(overrides: Record<string, string | string[]> = {}): Array<[string, string]> {
  const base: Record<string, string | string[]> = {
    organization: 'Royal Thai Police <script>window.pwned=1</script>',
    country: 'Thailand',
    contactName: 'Somchai',
    contactEmail: 'somchai@police.example.th',
    groupSize: '8',
    preferredDates: '2027-03-15, 2027-03-16',
    interests: ['koban', 'criminal-id'],
    language: 'Thai',
    interpreter: 'yes',
    needs: '',
    notes: 'We would like to see a koban.',
    ...overrides,
  };
  return Object.entries(base).flatMap(([k, v]) =>
    Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]],
  ) as Array<[string, string]>;
}

async function submitValid(v: Visitor, lang = 'en'): Promise<{ ref: string; link: string }> {
  await v.open(`/visit?lang=${lang}`);
  const res = await v.post('/visit', [['_csrf', v.csrf], ['lang', lang], ...fields()]);
  expect(res.status).toBe(200);
  const page = await res.text();
  const ref = /class="ref">(V-\d{4}-\d+)</.exec(page)?.[1] ?? '';
  const link = /id="status-link" class="status-url" href="([^"]+)"/.exec(page)?.[1] ?? '';
  expect(ref).toMatch(/^V-2027-\d+$/);
  expect(link).toMatch(/\/visit\/status\/[A-Za-z0-9_-]{43}$/);
  return { ref, link: new URL(link).pathname };
}

describe('the visit form', () => {
  it('shows every field of the chat form with labels in the page language', async () => {
    const v = new Visitor(bot.base);
    const page = await v.open('/visit?lang=id');
    expect(page).toContain('<html lang="id" dir="ltr">');
    for (const name of ['organization', 'contactEmail', 'groupSize', 'preferredDates', 'notes'])
      expect(page).toContain(`id="f-${name}"`);
    expect(page).toContain('type="checkbox" name="interests" value="koban"');
    expect(page).toContain('type="radio" name="interpreter" value="yes"');
    expect(page).toContain(runtime.i18n.t('id', 'visits')('fields.organization'));
  });

  it('puts the error next to a bad e-mail, keeps what was typed, then accepts the fixed form', async () => {
    const v = new Visitor(bot.base);
    await v.open('/visit?lang=en');
    const bad = await v.post('/visit', [
      ['_csrf', v.csrf],
      ['lang', 'en'],
      ...fields({ contactEmail: 'somchai@' }),
    ]);
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toMatch(/id="f-contactEmail-error">[^<]+</);
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="somchai@"');
    expect(page).toContain('value="Thailand"');
    expect(page).toMatch(/value="koban" id="f-interests-0" checked/);
    expect(page).toContain('Royal Thai Police &lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(page).not.toContain('<script>window.pwned');
    const before = (await runtime.store.visits.list({})).length;
    const { ref } = await submitValid(v);
    expect((await runtime.store.visits.list({})).length).toBe(before + 1);
    const record = await runtime.store.visits.get(ref);
    expect(record?.requester).toMatch(/^web:[0-9a-f]{32}$/);
    expect(record?.interests).toEqual(['koban', 'criminal-id']);
  });
});

describe('refusals of the form', () => {
  it('refuses an oversized form post with 413 and a polite page in its language', async () => {
    const v = new Visitor(bot.base);
    await v.open('/visit?lang=tr');
    const res = await v.post(
      '/visit',
      [['_csrf', v.csrf], ['lang', 'tr'], ...fields({ notes: 'x'.repeat(40_000) })],
      {
        'accept-language': 'tr',
      },
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toContain(runtime.i18n.t('tr', 'web')('errors.tooLarge'));
  });

  it('refuses a form post from another site even with a token', async () => {
    const v = new Visitor(bot.base);
    await v.open('/visit');
    const res = await v.post('/visit', [['_csrf', v.csrf], ...fields()], { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('the private status page', () => {
  it('refuses a wrong or malformed token without telling anything', async () => {
    const v = new Visitor(bot.base);
    await submitValid(v);
    for (const token of ['x'.repeat(43), 'short', 'V-2027-0001']) {
      const res = await v.fetch(`/visit/status/${token}`);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toContain('not valid');
      expect(page).not.toContain('V-2027');
    }
  });

  it('shows the status and the coordinators question, takes an answer, then a cancel', async () => {
    const v = new Visitor(bot.base);
    const { ref, link } = await submitValid(v, 'en');
    const first = await v.open(link);
    expect(first).toContain(`Visit request ${ref}`);
    expect(first).toMatch(/id="visit-status">Submitted</i);

    const decided = await runtime.visitNotices.decide(
      ref,
      'needs-info',
      { note: 'How many officers <b>exactly</b>?' },
      COORDINATOR,
      'en',
      'lead',
    );
    expect(decided.ok).toBe(true);
    if (decided.ok) await decided.notify();
    const asked = await v.open(link);
    expect(asked).toContain('How many officers &lt;b&gt;exactly&lt;/b&gt;?');
    expect(asked).toContain('name="answer"');

    const empty = await v.post(`${link}/answer`, [
      ['_csrf', v.csrf],
      ['answer', '  '],
    ]);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('id="answer-error"');

    const forged = await v.post(`${link}/answer`, [
      ['_csrf', 'nope'],
      ['answer', 'Eight.'],
    ]);
    expect(forged.status).toBe(403);

    const answered = await v.post(`${link}/answer`, [
      ['_csrf', v.csrf],
      ['answer', 'Eight officers.'],
    ]);
    expect(answered.status).toBe(200);
    const afterAnswer = await answered.text();
    expect(afterAnswer).toContain('Eight officers.');
    expect((await runtime.store.visits.get(ref))?.status).toBe('submitted');

    const cancelled = await v.post(`${link}/cancel`, [['_csrf', v.csrf]]);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toContain('The request has been cancelled.');
    expect((await runtime.store.visits.get(ref))?.status).toBe('cancelled');
  });

  it('shows an approval with its meeting point and an .ics download', async () => {
    const v = new Visitor(bot.base);
    const { ref, link } = await submitValid(v, 'fa');
    const decided = await runtime.visitNotices.decide(
      ref,
      'approve',
      { date: '2027-03-15', meetingPoint: 'Main gate' },
      COORDINATOR,
      'en',
      'lead',
    );
    expect(decided.ok).toBe(true);
    const page = await v.open(link);
    expect(page).toContain('<html lang="fa" dir="rtl">');
    expect(page).toContain('Main gate');
    expect(page).toContain('2027-03-15');
    const ics = await v.fetch(`${link}/calendar.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(await ics.text()).toContain('DTSTART;VALUE=DATE:20270315');
  });
});
