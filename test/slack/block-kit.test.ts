import { describe, expect, it } from 'vitest';
import { LIMITS, renderReply, SHARE_ACTION_ID, shareValue } from '../../src/adapters/slack/block-kit.js';
import { escapeSlack, markdownToMrkdwn, slackToPlain, splitText } from '../../src/adapters/slack/escape.js';
import { parseButtonValue } from '../../src/adapters/slack/slack-events.js';
import type { Reply } from '../../src/core/reply.js';
import { I18nService } from '../../src/i18n/i18n.js';

const i18n = new I18nService();

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

type Block = {
  type: string;
  text?: { type: string; text: string };
  elements?: { text?: unknown; value?: string; action_id?: string }[];
};

describe('Slack text', () => {
  it("turns the knowledge base's Markdown into mrkdwn", () => {
    expect(
      markdownToMrkdwn(
        '**Bring** your *passport* and [the form](https://example.org/a?b=1&c=2)\n- one\n## Next',
      ),
    ).toBe('*Bring* your _passport_ and <https://example.org/a?b=1&amp;c=2|the form>\n• one\n*Next*');
  });

  it('keeps bold visible next to Japanese text', () => {
    expect(markdownToMrkdwn('**交番**は小さな拠点です')).toBe('*交番*\u200Bは小さな拠点です');
  });

  it('escapes &, < and > so nothing can mention or link', () => {
    expect(escapeSlack('<!channel> & <@U123>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(markdownToMrkdwn('ask <!here> now')).toBe('ask &lt;!here&gt; now');
  });

  it("reads Slack markup as plain text, without the bot's own mention", () => {
    expect(
      slackToPlain('<@UBOT> where is <#C123|general>? see <https://x.org|site> &amp; <!here>', 'UBOT'),
    ).toBe('where is #general? see site & @here');
  });

  it('reads special mentions named like Object.prototype members as nothing', () => {
    expect(slackToPlain('<!constructor> hi <!__proto__> <!toString> <!hasOwnProperty> <!valueOf>')).toBe(
      'hi',
    );
    expect(slackToPlain('<!channel> and <!here|here>')).toBe('@channel and @here');
  });

  it('never turns a masked link the user typed into a Slack link, even glued to a word or with invisible characters', () => {
    const quoted = 'I don\'t know the language "[click](https://evil.example)".';
    for (const typed of [
      'language[click](https://evil.example)',
      'language [click](https://evil.example)\u00ad',
    ]) {
      expect(markdownToMrkdwn(quoted, typed)).not.toContain('<https://evil.example');
    }
    expect(markdownToMrkdwn('See [the form](https://npa.example/form).', 'where is the form?')).toBe(
      'See <https://npa.example/form|the form>.',
    );
  });

  it('splits long text at line breaks within the limit', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} of the answer`).join('\n');
    const parts = splitText(text, 3000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 3000)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });
});

describe('Block Kit rendering', () => {
  it('renders title, answer, notes and suggestions, with a plain fallback text', () => {
    const { text, blocks } = renderReply(
      reply({
        title: 'What is a Koban?',
        text: 'A **small** police box.',
        notes: ['Answer shown in English: no Thai version yet.'],
        suggestions: [{ entryId: 'koban-duties', title: 'What do Koban officers do?' }],
      }),
      i18n,
    );
    const b = blocks as Block[];
    expect(b.map((x) => x.type)).toEqual(['header', 'section', 'context', 'section', 'actions']);
    expect(b[1]?.text).toEqual({ type: 'mrkdwn', text: 'A *small* police box.' });
    expect(JSON.stringify(b[2])).toContain('no Thai version yet');
    expect(parseButtonValue(b[4]?.elements?.[0]?.value)).toEqual({ type: 'faq', entryId: 'koban-duties' });
    expect(text).toBe(
      'What is a Koban?\n\nA small police box.\n\nAnswer shown in English: no Thai version yet.',
    );
  });

  it("stays within Slack's limits for a very long answer", () => {
    const paragraph = `${'Koban officers patrol on foot and by bicycle. '.repeat(40)}\n\n`;
    const { text, blocks } = renderReply(
      reply({ title: 'T'.repeat(300), text: paragraph.repeat(120) }),
      i18n,
    );
    const b = blocks as Block[];
    expect(b.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(b.every((x) => (x.text?.text.length ?? 0) <= LIMITS.sectionText)).toBe(true);
    expect(b[0]?.text?.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  });

  it('offers "Share in channel" on private answers and notes the calendar file there', () => {
    const share = shareValue('/course JICA-2026');
    const { blocks } = renderReply(
      reply({
        intent: 'schedule',
        lang: 'ja',
        text: '次の講義',
        attachment: { filename: 'course.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' },
      }),
      i18n,
      { ephemeral: true, ...(share ? { share } : {}) },
    );
    const json = JSON.stringify(blocks);
    expect(json).toContain(i18n.t('ja', 'slack')('share.button'));
    expect(json).toContain(SHARE_ACTION_ID);
    expect(json).toContain('course.ics');
  });

  it('accepts only button values it rendered itself', () => {
    expect(parseButtonValue('{"type":"language","lang":"fa"}')).toEqual({ type: 'language', lang: 'fa' });
    expect(parseButtonValue('{"type":"language","lang":"xx"}')).toBeUndefined();
    expect(parseButtonValue('{"type":"faq","entryId":"a b<c>"}')).toBeUndefined();
    expect(parseButtonValue('not json')).toBeUndefined();
  });
});
