/** `koban start` with the web chat on: the page's URL in the log, and one port shared with /healthz. */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';
import { captureLog } from '../slack/harness.js';

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('koban start with KOBAN_WEB_PORT', () => {
  it('serves the page on the KOBAN_HTTP_PORT server when the ports are the same, and logs its URL', async () => {
    const log = captureLog();
    const signals = new EventEmitter();
    const config = loadConfig({
      KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
      KOBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'koban-web-start-')),
      KOBAN_HTTP_PORT: '0',
      KOBAN_WEB_PORT: '0',
    });
    const exited = start(config, { console: false, signals, logger: log.logger });
    await until(() => log.text().includes('web: chat page ready'), 'the web chat');
    const line =
      log
        .text()
        .split('\n')
        .find((l) => l.includes('web: chat page ready')) ?? '';
    const url = (JSON.parse(line) as { url: string }).url;
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
    const port = /"port":(\d+),"msg":"http: listening"/.exec(log.text())?.[1];
    expect(url).toBe(`http://localhost:${port}/`);
    expect(log.text().match(/http: listening/g)).toHaveLength(1);

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="question"');
    await until(() => log.text().includes('"msg":"starting"'), 'the start');
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      adapters: Record<string, boolean>;
    };
    expect(health.adapters).toMatchObject({ web: true });

    signals.emit('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
