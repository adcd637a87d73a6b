import { describe, expect, it } from 'vitest';
import { koban } from '../helpers/spawn.js';

describe('koban ask', () => {
  it('answers "交番とは何ですか" from koban-what-is in Japanese, as JSON', async () => {
    const { code, stdout } = await koban(['ask', '--json', '交番とは何ですか']);
    expect(code).toBe(0);
    const reply = JSON.parse(stdout);
    expect(reply).toMatchObject({ intent: 'faq', lang: 'ja', entryId: 'koban-what-is' });
    expect(reply.confidence).toBeGreaterThan(0);
    expect(reply.confidence).toBeLessThanOrEqual(1);
    expect(Array.isArray(reply.suggestions)).toBe(true);
    expect(typeof reply.text).toBe('string');
  });

  it('refuses "bitcoin price" as a fallback', async () => {
    const { code, stdout } = await koban(['ask', '--json', 'bitcoin price']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ intent: 'fallback' });
  });

  it('answers 100 JSON lines in order in one process', async () => {
    const questions = [
      { text: '交番とは何ですか', expect: 'ja' },
      { text: 'Apa pakaian yang harus dipakai saat kunjungan?', expect: 'id' },
      { text: 'hello', lang: 'th', expect: 'th' },
      { text: 'bitcoin price', lang: 'vi', expect: 'vi' },
    ];
    const lines = Array.from({ length: 100 }, (_, i) => {
      const q = questions[i % questions.length] ?? questions[0];
      return JSON.stringify({ text: q?.text, ...(q && 'lang' in q ? { lang: q.lang } : {}), user: `u${i}` });
    });
    const { code, stdout } = await koban(['ask', '--jsonl'], { input: `${lines.join('\n')}\n` });
    expect(code).toBe(0);
    const replies = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(replies).toHaveLength(100);
    replies.forEach((r, i) => {
      expect(r.lang, `line ${i + 1}`).toBe(questions[i % questions.length]?.expect);
    });
  });

  it('reports a bad JSON line without stopping the others', async () => {
    const input = `${JSON.stringify({ text: 'hello' })}\nnot json\n${JSON.stringify({ text: 'hi', lang: 'xx' })}\n${JSON.stringify({ text: 'terima kasih' })}\n`;
    const { code, stdout } = await koban(['ask', '--jsonl'], { input });
    const replies = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(replies).toHaveLength(4);
    expect(replies[1].error).toMatch(/line 2/);
    expect(replies[2].error).toMatch(/line 3/);
    expect(replies[3]).toMatchObject({ intent: 'smalltalk', lang: 'id' });
    expect(code).toBe(1);
  });

  it('refuses a bad --now or --lang with a usage message', async () => {
    const badNow = await koban(['ask', '--now', 'tomorrow', 'hello']);
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now must be an ISO-8601');
    const badLang = await koban(['ask', '--lang', 'klingon', 'hello']);
    expect(badLang.code).toBe(2);
    expect(badLang.stderr).toContain('--lang must be one of');
  });
});
