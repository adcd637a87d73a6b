import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitsCli } from '../../src/cli/visits.js';
import { loadConfig } from '../../src/config.js';
import type { Reply } from '../../src/core/reply.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { Conversation, REPO_KNOWLEDGE } from '../helpers/conversation.js';

const NOW = new Date('2027-01-20T09:00:00+09:00');
const data = mkdtempSync(join(tmpdir(), 'koban-visit-chat-'));
const config = loadConfig({
  KOBAN_KNOWLEDGE: REPO_KNOWLEDGE,
  KOBAN_DATA_DIR: data,
  KOBAN_COORDINATORS: 'slack:U0COORD',
  KOBAN_COORDINATOR_CHANNELS: 'slack:C0COORDS',
});
let runtime: Runtime;
/** What the coordinators' channel got, through a recording Slack sender. */
const posted: Array<{ channel: string; reply: Reply }> = [];
beforeAll(async () => {
  runtime = await createRuntime(config, { clock: () => NOW });
  runtime.visitNotices.register({
    platform: 'slack',
    post: async (channel, reply) => void posted.push({ channel, reply }),
    dm: async () => undefined,
  });
});
afterAll(() => runtime.close());

/** Sends each line and returns the last reply. */
async function say(chat: Conversation, ...lines: string[]) {
  let reply = await chat.send(lines[0] ?? '', { now: NOW });
  for (const line of lines.slice(1)) reply = await chat.send(line, { now: NOW });
  return reply;
}

describe('requesting a visit in the chat', () => {
  it('fills the form step by step in Indonesian, keeps what the first message said, and submits', async () => {
    const chat = new Conversation(runtime, 'budi');
    const first = await chat.send('Bisakah delegasi kami berkunjung ke koban dengan 12 orang?', { now: NOW });
    expect(first).toMatchObject({ intent: 'visit', lang: 'id' });
    expect(first.text).toContain('Jumlah orang: 12');
    expect(first.form?.current).toBe('organization');
    expect(first.form?.fields.find((f) => f.name === 'groupSize')?.value).toBe('12');

    const wrongEmail = await say(
      chat,
      'Kepolisian Negara Republik Indonesia',
      'Indonesia',
      'Budi Santoso',
      'budi@',
    );
    expect(wrongEmail.text).toContain('E-mail narahubung: mohon masukkan alamat e-mail yang valid');
    expect(wrongEmail.form?.fields.find((f) => f.name === 'country')?.value).toBe('Indonesia');

    const tooSoon = await say(chat, 'budi@polri.example.id', '2027-02-01');
    expect(tooSoon.text).toContain('2027-02-01 terlalu dekat');
    const confirm = await say(chat, '2027-03-15, 2027-03-16', 'Bahasa Indonesia', 'ya', 'lewati', 'lewati');
    expect(confirm.text).toContain('Mohon periksa permohonan Anda');
    expect(confirm.text).toContain('Yang ingin dilihat: Koban');
    const done = await chat.send('ya', { now: NOW });
    expect(done.text).toMatch(/Permohonan kunjungan V-2027-0001 sudah dikirim/);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.channel).toBe('C0COORDS');
    expect(posted[0]?.reply.buttons.map((b) => b.action)).toEqual([
      { type: 'visit-decide', ref: 'V-2027-0001', kind: 'approve' },
      { type: 'visit-decide', ref: 'V-2027-0001', kind: 'decline' },
      { type: 'visit-decide', ref: 'V-2027-0001', kind: 'needs-info' },
    ]);
    const stored = await runtime.store.visits.get('V-2027-0001');
    expect(stored).toMatchObject({
      requester: 'console:budi',
      requesterLang: 'id',
      groupSize: 12,
      interests: ['koban'],
      interpreter: true,
      preferredDates: ['2027-03-15', '2027-03-16'],
    });
    expect(await runtime.store.visits.draft('console:budi')).toBeUndefined();

    const status = await chat.send('Apa status permohonan kunjungan saya?', { now: NOW });
    expect(status).toMatchObject({ intent: 'visit-status' });
    expect(status.text).toContain('V-2027-0001: diajukan');
    const cancelled = await chat.send('batalkan permohonan kunjungan V-2027-0001', { now: NOW });
    expect(cancelled.text).toBe('Permohonan kunjungan V-2027-0001 sudah dibatalkan.');
  });

  it('goes back and cancels at any step', async () => {
    const chat = new Conversation(runtime, 'taro');
    await chat.send('交番を視察したいのですが', { now: NOW });
    const second = await chat.send('警察庁', { now: NOW });
    expect(second.form?.current).toBe('country');
    const back = await chat.send('戻る', { now: NOW });
    expect(back.form?.current).toBe('organization');
    const stop = await chat.send('キャンセル', { now: NOW });
    expect(stop.text).toContain('何も送信されていません');
    // With the form gone, a question is a question again.
    await chat.expect('交番とは何ですか', { intent: 'faq', entryId: 'koban-what-is' });
  });

  it('keeps a half-filled form across a restart', async () => {
    const chat = new Conversation(runtime, 'somchai');
    await say(chat, 'We would like to visit a koban', 'Royal Thai Police');
    const restarted = await createRuntime(config, { clock: () => NOW });
    try {
      const next = await new Conversation(restarted, 'somchai').send('Thailand', { now: NOW });
      expect(next.form?.current).toBe('contactName');
      expect(next.form?.fields.find((f) => f.name === 'organization')?.value).toBe('Royal Thai Police');
    } finally {
      await restarted.close();
    }
  });

  it('starts a request from a place word and a group size, and keeps the size (Persian digits)', async () => {
    const chat = new Conversation(runtime, 'reza');
    const first = await chat.send('بازدید کوبان برای ۱۶ نفر، ۳ مارچ لطفا', { now: NOW });
    expect(first).toMatchObject({ intent: 'visit' });
    expect(first.form?.fields.find((f) => f.name === 'groupSize')?.value).toBe('16');
    await chat.send('cancel', { now: NOW });
    // A group size and a day in a question: a request; the same size asked about alone: the FAQ.
    const kofi = new Conversation(runtime, 'kofi');
    const friday = await kofi.send('Could we come by a koban on Friday? there are 4 of us', { now: NOW });
    expect(friday.intent).toBe('visit');
    await kofi.send('cancel', { now: NOW });
    const howMany = await new Conversation(runtime, 'rina').send(
      'kami 40 orang, bisa ikut semua di satu kunjungan koban?',
      { now: NOW },
    );
    expect(howMany.intent).not.toBe('visit');
  });

  it('answers how to request a visit from the FAQ, with a button that starts the form', async () => {
    const chat = new Conversation(runtime, 'asker');
    const how = await chat.expect('How do I request a Koban visit?', {
      intent: 'faq',
      entryId: 'visit-request-how',
    });
    // The visit button first, then "helpful? yes/no" (feedback, as under every FAQ answer).
    expect(how.buttons.map((b) => b.action.type)).toEqual(['visit', 'feedback', 'feedback']);
    expect(how.buttons[0]).toEqual({ label: 'Request a visit', action: { type: 'visit' } });
    const started = await chat.send('', { action: { type: 'visit' }, now: NOW });
    expect(started).toMatchObject({ intent: 'visit' });
    expect(started.form?.current).toBe('organization');
  });

  it('leaves status and cancel phrasings to the FAQ for someone who has made no request', async () => {
    const chat = new Conversation(runtime, 'newcomer');
    const reply = await chat.send('cancel my visit', { now: NOW });
    expect(reply.intent).not.toBe('visit');
  });

  it("takes the requester's answer to a coordinator's question and puts it back before the coordinators", async () => {
    const request = {
      organization: 'Policía Nacional',
      country: 'Peru',
      contactName: 'Ana Quispe',
      contactEmail: 'ana@example.pe',
      groupSize: 6,
      preferredDates: ['2027-03-23'],
      interests: ['koban'],
      language: 'Spanish',
      interpreter: true,
    };
    const sent = await runtime.visits.submit(request, { platform: 'console', userId: 'ana' }, 'id');
    if (!sent.ok) throw new Error(JSON.stringify(sent.errors));
    const { ref } = sent;
    const chat = new Conversation(runtime, 'ana');
    // Before any question, a plain message is not taken as an answer.
    expect((await chat.send('Apa itu koban?', { now: NOW })).intent).not.toBe('visit');

    const coordinator = { platform: 'slack', userId: 'U0COORD' };
    const asked = await runtime.visitNotices.decide(
      ref,
      'needs-info',
      { note: 'Which prefecture would you prefer?' },
      coordinator,
      'en',
      '<@U0COORD>',
    );
    expect(asked.ok).toBe(true);

    const status = await chat.send('Apa status permohonan kunjungan saya?', { now: NOW });
    expect(status.text).toContain(`${ref}: menunggu keterangan Anda`);
    expect(status.text).toContain('Pertanyaan dari koordinator: Which prefecture would you prefer?');

    // In a shared channel a message is not an answer.
    const inChannel = await chat.send('Tokyo, please', { now: NOW, direct: false });
    expect(inChannel.intent).not.toBe('visit');
    expect((await runtime.store.visits.get(ref))?.status).toBe('needs-info');

    posted.length = 0;
    const answered = await chat.send('Tokyo, please', { now: NOW });
    expect(answered.text).toBe(
      `Terima kasih. Jawaban Anda sudah ditambahkan ke permohonan kunjungan ${ref} dan dikirim ke koordinator; mereka akan segera memutuskan.`,
    );
    const stored = await runtime.store.visits.get(ref);
    expect(stored?.status).toBe('submitted');
    expect(stored?.history.at(-1)).toMatchObject({
      status: 'submitted',
      actor: 'console:ana',
      note: 'Tokyo, please',
    });
    const audit = await runtime.store.audit.list();
    expect(audit.filter((e) => e.target === ref && e.action === 'visit.answer')).toMatchObject([
      { actor: 'console:ana', outcome: 'ok' },
    ]);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.channel).toBe('C0COORDS');
    expect(posted[0]?.reply.text).toContain(
      `The delegation answered the question about ${ref} (Policía Nacional): Tokyo, please`,
    );
    expect(posted[0]?.reply.buttons.map((b) => b.action)).toEqual([
      { type: 'visit-decide', ref, kind: 'approve' },
      { type: 'visit-decide', ref, kind: 'decline' },
      { type: 'visit-decide', ref, kind: 'needs-info' },
    ]);
    // Answered: the next message is an ordinary question again.
    expect((await chat.send('Tokyo, please', { now: NOW })).intent).not.toBe('visit');
    const again = await runtime.visits.decide(
      ref,
      { kind: 'approve', date: '2027-03-23', meetingPoint: 'Gate' },
      coordinator,
    );
    expect(again.ok).toBe(true);
    // The coordinators' office sees the question and the answer in `koban visits show`.
    const shown: string[] = [];
    expect(await visitsCli(['show', ref], config, (line) => shown.push(line))).toBe(0);
    const history = shown.join('\n');
    expect(history).toMatch(/needs-info\s+slack:U0COORD\s+"Which prefecture would you prefer\?"/);
    expect(history).toMatch(/submitted\s+console:ana\s+"Tokyo, please"/);
  });
});
