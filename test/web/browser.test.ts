/**
 * The web chat in a real browser: the distribution's Chromium driven by playwright-core against the
 * real server on loopback. Screenshots go to test-output/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main.js';
import { ROOT } from '../helpers/spawn.js';
import { startWeb, type WebBot, webRuntime } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  const why = `web chat browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${why}; required under CI=true`);
  console.warn(`${why}; skipped`);
}

const OUT = join(ROOT, 'test-output');
const NOW = new Date('2027-01-20T03:00:00Z');

let runtime: Runtime;
let bot: WebBot;
let browser: Browser;

beforeAll(async () => {
  if (!present) return;
  mkdirSync(OUT, { recursive: true });
  runtime = await webRuntime({}, () => NOW);
  bot = await startWeb(runtime, { clock: () => NOW });
  // launch() gives every run a fresh temporary user-data-dir of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  if (!present) return;
  await browser?.close();
  await bot?.close();
  await runtime?.close();
});

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('.msg.bot').count();
  await page.fill('#question', text);
  await page.press('#question', 'Enter');
  await page.locator('.msg.bot').nth(before).waitFor({ timeout: 30_000 });
}

describe.skipIf(!present)('the web chat in Chromium', () => {
  it('answers, switches to Persian, follows a suggestion, takes a visit request and shows its status', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      // The visit form answers 422 when it refuses the e-mail; other console errors (CSP) count.
      if (msg.type() === 'error' && !msg.text().includes('status of 422')) problems.push(msg.text());
    });

    await page.goto(`${bot.base}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // An Indonesian question gets the Indonesian answer.
    await ask(page, 'Apa pakaian yang harus dipakai saat kunjungan?');
    const first = page.locator('.msg.bot').first();
    expect(await first.getAttribute('lang')).toBe('id');
    expect(await first.locator('.text').textContent()).toContain('Pakaian');
    await page.screenshot({ path: join(OUT, 'web-chat-indonesian.png'), fullPage: true });

    // An injected script is shown as text and never runs.
    const attack = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';
    await ask(page, attack);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('.msg.user').last().locator('.text').textContent()).toBe(attack);
    expect(await page.locator('.msg img').count()).toBe(0);

    // A suggestion (or menu button) is a button that asks again.
    await ask(page, 'help');
    const buttons = page.locator('.msg.bot').last().locator('button.suggestion');
    expect(await buttons.count()).toBeGreaterThan(0);
    const bots = await page.locator('.msg.bot').count();
    await buttons.first().focus();
    await page.keyboard.press('Enter');
    await page.locator('.msg.bot').nth(bots).waitFor({ timeout: 30_000 });

    // Persian: the page turns right to left and the answer is marked rtl.
    const beforeFa = await page.locator('.msg.bot').count();
    await page.selectOption('#lang', 'fa');
    await page.locator('html[dir="rtl"][lang="fa"]').waitFor();
    await page.locator('.msg.bot').nth(beforeFa).waitFor({ timeout: 30_000 });
    const faReply = page.locator('.msg.bot').last();
    expect(await faReply.getAttribute('dir')).toBe('rtl');
    expect(await faReply.getAttribute('lang')).toBe('fa');
    expect(await page.evaluate("getComputedStyle(document.getElementById('log')).direction")).toBe('rtl');
    expect(await page.textContent('label[for="question"]')).toBe(
      runtime.i18n.t('fa', 'web')('page.question'),
    );
    await page.screenshot({ path: join(OUT, 'web-chat-persian.png'), fullPage: true });

    // The visit form: an invalid e-mail is refused next to the field, the rest is kept.
    await page.click('#visit-link');
    await page.waitForURL(/\/visit\?lang=fa/);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.fill('#f-organization', 'Royal Thai Police');
    await page.fill('#f-country', 'Thailand');
    await page.fill('#f-contactName', 'Somchai');
    await page.fill('#f-contactEmail', 'somchai@');
    await page.fill('#f-groupSize', '8');
    await page.fill('#f-preferredDates', '2027-03-15, 2027-03-16');
    await page.check('#f-interests-0');
    await page.fill('#f-language', 'Thai');
    await page.check('#f-interpreter-0');
    await page.click('form.visit-form button[type="submit"]');
    await page.locator('#f-contactEmail-error').waitFor();
    expect(await page.inputValue('#f-organization')).toBe('Royal Thai Police');
    expect(await page.isChecked('#f-interests-0')).toBe(true);
    await page.screenshot({ path: join(OUT, 'web-visit-form-error.png'), fullPage: true });

    await page.fill('#f-contactEmail', 'somchai@police.example.th');
    await page.click('form.visit-form button[type="submit"]');
    const ref = (await page.locator('.ref').textContent({ timeout: 30_000 })) ?? '';
    expect(ref).toMatch(/^V-2027-\d+$/);
    await page.screenshot({ path: join(OUT, 'web-visit-submitted.png'), fullPage: true });

    // The private status link.
    await page.click('#status-link');
    await page.locator('#visit-status').waitFor();
    expect(await page.textContent('h1')).toContain(ref);
    expect(await page.textContent('#visit-status')).toBe(
      runtime.i18n.t('fa', 'visits')('statuses.submitted'),
    );
    await page.screenshot({ path: join(OUT, 'web-visit-status.png'), fullPage: true });

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('is usable on a phone-sized screen without sideways scrolling', async () => {
    const context = await browser.newContext({
      locale: 'th-TH',
      viewport: { width: 375, height: 740 },
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${bot.base}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('th');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(OUT, 'web-chat-phone.png') });
    await context.close();
  }, 60_000);
});
