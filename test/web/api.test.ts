/** The web chat's page and JSON API over real HTTP on loopback. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebReply } from '../../src/adapters/web/render.js';
import type { Runtime } from '../../src/main.js';
import { type StartOptions, startWeb, Visitor, type WebBot, webRuntime } from './harness.js';

let runtime: Runtime;
let bot: WebBot | undefined;
beforeAll(async () => {
  runtime = await webRuntime();
}, 60_000);
afterAll(async () => {
  await runtime.close();
});
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function visitor(options: StartOptions = {}): Promise<Visitor> {
  bot = await startWeb(runtime, options);
  const v = new Visitor(bot.base);
  await v.open('/');
  return v;
}

async function reply(res: Response): Promise<WebReply> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { reply: WebReply }).reply;
}

describe('the web chat page', () => {
  it('is served with a strict CSP, no inline script, and an HttpOnly SameSite=Lax session cookie', async () => {
    bot = await startWeb(runtime);
    const res = await fetch(`${bot.base}/`, { headers: { 'accept-language': 'ja,en;q=0.5' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^koban_sid=[A-Za-z0-9_-]{32};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    const page = await res.text();
    expect(page).toContain('<html lang="ja" dir="ltr">');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle=/);
    const script = await fetch(`${bot.base}/assets/chat.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('textContent');
  });

  it('defaults to Persian, right to left, from Accept-Language', async () => {
    bot = await startWeb(runtime);
    const page = await (await fetch(`${bot.base}/`, { headers: { 'accept-language': 'fa-IR' } })).text();
    expect(page).toContain('<html lang="fa" dir="rtl">');
    expect(page).toMatch(/<option value="fa" lang="fa" selected>/);
  });

  it('marks the cookie Secure behind an HTTPS proxy it is told to trust', async () => {
    bot = await startWeb(runtime, { config: { KOBAN_WEB_TRUST_PROXY: true } });
    const res = await fetch(`${bot.base}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });
});

describe('questions through the JSON API', () => {
  it('answers in Indonesian, Japanese and Vietnamese, with lang and dir on each reply', async () => {
    const v = await visitor();
    const id = await reply(await v.ask({ text: 'Apa pakaian yang harus dipakai saat kunjungan?' }));
    expect(id).toMatchObject({ lang: 'id', dir: 'ltr' });
    expect(id.text).toContain('Pakaian');
    const ja = await reply(await v.ask({ text: '交番とは何ですか' }));
    expect(ja.lang).toBe('ja');
    expect(ja.text).toContain('交番');
    const vi = await reply(await v.ask({ text: 'Tôi nên mặc gì khi đến thăm?' }));
    expect(vi.lang).toBe('vi');
    expect(vi.text).toContain('Trang phục');
  });

  it('switches to Persian with the language action and answers right to left', async () => {
    const v = await visitor();
    const fa = await reply(await v.ask({ text: '', action: { type: 'language', lang: 'fa' } }));
    expect(fa).toMatchObject({ lang: 'fa', dir: 'rtl' });
  });

  it('gives a schedule answer as table rows and an .ics download', async () => {
    const v = await visitor();
    const r = await reply(await v.ask({ text: 'When is the next session of the koban seminar?' }));
    expect(r.table?.headers).toEqual(['When', 'Session', 'Place']);
    expect(r.table?.rows.length).toBeGreaterThan(0);
    expect(r.download?.filename).toMatch(/\.ics$/);
    expect(r.download?.content).toContain('BEGIN:VCALENDAR');
  });

  it('turns "Request a visit" into a link to the form and suggestions into actions', async () => {
    const v = await visitor();
    const help = await reply(await v.ask({ text: 'help' }));
    const visit = help.buttons.find((b) => 'href' in b);
    expect(visit).toMatchObject({ href: '/visit?lang=en' });
    const faq = await reply(await v.ask({ text: 'visit' }));
    const all = [...faq.suggestions, ...faq.buttons, ...help.buttons];
    expect(all.some((b) => 'action' in b)).toBe(true);
  });

  it('returns user text as data, never markup', async () => {
    const v = await visitor();
    const r = await reply(await v.ask({ text: '<script>window.pwned=1</script> koban?' }));
    expect(JSON.stringify(r)).not.toContain('<script>window');
  });

  it('refuses bad input politely in the visitor language', async () => {
    const v = await visitor();
    const broken = await v.ask('{"text": ', { 'accept-language': 'id' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ lang: 'id', error: expect.stringMatching(/\S/) });
    const unknownAction = await v.ask({ text: '', action: { type: 'visit-decide', ref: 'V-2027-0001' } });
    expect(unknownAction.status).toBe(400);
    const empty = await v.ask({ text: '   ' });
    expect(empty.status).toBe(400);
    const wrongType = await v.ask({ text: 42 });
    expect(wrongType.status).toBe(400);
    const notJson = await v.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-csrf-token': v.csrf, origin: v.base },
      body: 'hello',
    });
    expect(notJson.status).toBe(400);
  });

  it('refuses an oversized body with 413', async () => {
    const v = await visitor();
    const res = await v.ask({ text: 'a'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too long/);
  });

  it('limits one session: a notice past the limit, then 429', async () => {
    const v = await visitor({ userLimit: { points: 2, seconds: 60 } });
    await reply(await v.ask({ text: 'What is a koban?' }));
    await reply(await v.ask({ text: 'What is a koban?' }));
    const notice = await reply(await v.ask({ text: 'What is a koban?' }));
    expect(notice.text).toMatch(/faster than I can answer/);
    const silent = await v.ask({ text: 'What is a koban?' });
    expect(silent.status).toBe(429);
  });

  it('limits one IP address across sessions', async () => {
    bot = await startWeb(runtime, { config: { KOBAN_WEB_IP_LIMIT: 3, KOBAN_WEB_IP_LIMIT_SECONDS: 60 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const v = new Visitor(bot.base);
      await v.open('/');
      statuses.push((await v.ask({ text: 'What is a koban?' })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    const v = new Visitor(bot.base);
    await v.open('/');
    expect((await v.ask({ text: 'What is a koban?' })).status).toBe(429);
  });
});

describe('shutdown', () => {
  it('lets an answer in flight finish and refuses new requests with 503', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = {
      handle: async (msg: Parameters<Runtime['assistant']['handle']>[0]) => {
        await gate;
        return runtime.assistant.handle(msg);
      },
      notice: runtime.assistant.notice.bind(runtime.assistant),
    };
    bot = await startWeb(runtime, { assistant: slow });
    const v = new Visitor(bot.base);
    await v.open('/');
    const pending = v.ask({ text: 'What is a koban?' });
    await new Promise((r) => setTimeout(r, 200));
    const stopped = bot.adapter.stop({ graceMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    const late = await v.fetch('/api/strings?lang=en');
    expect(late.status).toBe(503);
    release();
    expect((await pending).status).toBe(200);
    await stopped;
    bot = undefined;
  });
});

describe('CSRF', () => {
  it('refuses API calls without the token, with a wrong token, from another origin, or without a session', async () => {
    const v = await visitor();
    expect((await v.ask({ text: 'hi' }, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await v.ask({ text: 'hi' }, { 'x-csrf-token': `${v.csrf.slice(0, -2)}xx` })).status).toBe(403);
    expect((await v.ask({ text: 'hi' }, { origin: 'https://evil.example' })).status).toBe(403);
    const other = new Visitor(v.base);
    other.csrf = v.csrf;
    expect((await other.ask({ text: 'hi' })).status).toBe(403);
    expect((await v.ask({ text: 'hi' })).status).toBe(200);
  });

  it('refuses a form post without the token', async () => {
    const v = await visitor();
    await v.open('/visit');
    const res = await v.post('/visit', [['organization', 'X']]);
    expect(res.status).toBe(400);
    const wrong = await v.post('/visit', [
      ['_csrf', 'forged'],
      ['organization', 'X'],
    ]);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('expired');
  });
});
