import { describe, expect, it } from 'vitest';
import { NAMESPACE } from '../../src/adapters/discord/commands.js';
import { decodeAction, encodeAction } from '../../src/adapters/discord/custom-id.js';
import { stripBotMention } from '../../src/adapters/discord/messages.js';
import { escapeEchoes, LIMITS, renderReply, splitText } from '../../src/adapters/discord/render.js';
import type { Reply } from '../../src/core/reply.js';
import { I18nService } from '../../src/i18n/i18n.js';

const i18n = new I18nService();
const t = i18n.t('en', NAMESPACE);

function reply(fields: Partial<Reply>): Reply {
  return {
    intent: 'faq',
    lang: 'en',
    dir: 'ltr',
    text: '',
    notes: [],
    suggestions: [],
    buttons: [],
    ...fields,
  };
}

describe('rendering a reply for Discord', () => {
  it('puts the title, the text and the notes in one embed, with a language menu', () => {
    const [message, ...more] = renderReply(
      reply({
        title: 'What is a Koban?',
        text: 'A **Koban** is a police box.',
        notes: ['Answer shown in English'],
      }),
      { t },
    );
    expect(more).toHaveLength(0);
    expect(message?.embeds).toEqual([
      expect.objectContaining({
        title: 'What is a Koban?',
        description: 'A **Koban** is a police box.',
        footer: { text: 'Answer shown in English' },
      }),
    ]);
    expect(message?.components.at(-1)?.components[0]).toMatchObject({
      type: 3,
      custom_id: 'koban:pick-lang',
    });
  });

  it('splits a long answer at paragraph boundaries, within every Discord limit', () => {
    const paragraph = `${'Koban officers patrol on foot and by bicycle. '.repeat(40).trim()}`;
    const text = Array.from({ length: 12 }, () => paragraph).join('\n\n');
    const messages = renderReply(reply({ title: 'T'.repeat(300), text, notes: ['n'] }), { t });
    const embeds = messages.flatMap((m) => m.embeds);
    expect(embeds.length).toBeGreaterThan(1);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
      const size = m.embeds.reduce(
        (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0),
        0,
      );
      expect(size).toBeLessThanOrEqual(LIMITS.embedTotal);
    }
    for (const e of embeds) expect(e.description?.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embeds[0]?.title?.length).toBe(LIMITS.title);
    expect(embeds.map((e) => e.description).join('\n\n')).toBe(text);
    expect(embeds.at(-1)?.footer?.text).toBe('n');
    expect(messages.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
  });

  it('never cuts a long word in the middle of a surrogate pair', () => {
    const pieces = splitText('😀'.repeat(3000), 4096);
    expect(pieces.join('')).toBe('😀'.repeat(3000));
    for (const p of pieces) expect(p.toWellFormed()).toBe(p);
  });

  it('offers suggestions as buttons and language choices as the menu, not as buttons', () => {
    const [message] = renderReply(
      reply({
        intent: 'language',
        suggestions: [{ entryId: 'visit-dress-code', title: 'What should we wear on a visit?' }],
        buttons: [
          { label: '日本語', action: { type: 'language', lang: 'ja' } },
          { label: 'Course 2027-A', action: { type: 'course', courseId: '2027-A' } },
        ],
      }),
      { t },
    );
    const [row, menuRow] = message?.components ?? [];
    expect(row?.components.map((c) => ('custom_id' in c ? c.custom_id : ''))).toEqual([
      'koban:faq:visit-dress-code',
      'koban:course:2027-A',
    ]);
    expect(menuRow?.components[0]).toMatchObject({ custom_id: 'koban:pick-lang' });
  });

  it('attaches the iCalendar file to the last message', () => {
    const messages = renderReply(
      reply({
        intent: 'schedule',
        text: 'Your sessions',
        attachment: {
          filename: 'course.ics',
          contentType: 'text/calendar',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR',
        },
      }),
      { t },
    );
    const file = messages.at(-1)?.files[0];
    expect(file?.name).toBe('course.ics');
    expect(String(file?.attachment)).toContain('BEGIN:VCALENDAR');
  });

  it('neutralizes mentions and escapes the markdown the user typed when it is quoted back', () => {
    const [message] = renderReply(reply({ text: 'I don\'t know the language "@here **x**".' }), {
      t,
      userText: 'language @here **x**',
    });
    expect(message?.embeds[0]?.description).toBe('I don\'t know the language "@\u200bhere \\*\\*x\\*\\*".');
    expect(escapeEchoes('**Koban** is here', 'what is a koban')).toBe('**Koban** is here');
  });

  // Found by the fuzz test (test/fuzz): the reply quotes cleaned text, or only part of a typed word.
  it('keeps a masked link the user typed as text when invisible characters or a glued word hide it', () => {
    const quoted = 'I don\'t know the language "[click](https://evil.example)".';
    expect(escapeEchoes(quoted, 'language [click](https://evil.example)\u00ad')).toBe(
      'I don\'t know the language "\\[click\\]\\(https://evil.example\\)".',
    );
    expect(escapeEchoes(quoted, 'language[click](https://evil.example)')).not.toMatch(
      /(?<!\\)\[click(?<!\\)\]\(/,
    );
    expect(escapeEchoes('See [the form](https://npa.example/form).', 'where is the form?')).toBe(
      'See [the form](https://npa.example/form).',
    );
  });
});

describe('custom ids', () => {
  it('round-trips every action and refuses tampered ones', () => {
    for (const action of [
      { type: 'faq', entryId: 'visit-dress-code' },
      { type: 'language', lang: 'fa' },
      { type: 'course', courseId: '2027-A' },
    ] as const) {
      const id = encodeAction(action);
      expect(id?.length).toBeLessThanOrEqual(100);
      expect(decodeAction(String(id))).toEqual(action);
    }
    expect(decodeAction('koban:faq:../../etc/passwd')).toBeUndefined();
    expect(decodeAction('koban:lang:xx')).toBeUndefined();
    expect(decodeAction('someone-else:button')).toBeUndefined();
    expect(encodeAction({ type: 'faq', entryId: 'x'.repeat(120) })).toBeUndefined();
  });
});

describe('mentions of the bot', () => {
  it('are removed from the question', () => {
    expect(stripBotMention('<@123456789012345678> What is a Koban?', '123456789012345678')).toBe(
      'What is a Koban?',
    );
    expect(stripBotMention('<@!123456789012345678>\nhelp', '123456789012345678')).toBe('help');
  });
});
