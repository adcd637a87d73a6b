/** A neutral Reply as the web page's JSON, and the escaping of server-rendered HTML. */
import { describe, expect, it } from 'vitest';
import { esc, html } from '../../src/adapters/web/html.js';
import { fromAcceptLanguage } from '../../src/adapters/web/language.js';
import { renderReply } from '../../src/adapters/web/render.js';
import { makeReply } from '../../src/assistant/reply-builder.js';
import { I18nService } from '../../src/i18n/i18n.js';

const i18n = new I18nService();
const ctx = (lang: 'en' | 'th') => ({
  t: i18n.t(lang, 'web'),
  common: i18n.t(lang),
  visitHref: (l: string) => `/visit?lang=${l}`,
  timeZone: 'Asia/Tokyo',
});

describe('renderReply', () => {
  it('gives schedule sessions as table rows in the center time zone, and the .ics as a download', () => {
    const reply = {
      ...makeReply({ intent: 'schedule', lang: 'th', text: '**Lecture** on Monday' }),
      sessions: [
        {
          courseId: 'c',
          sessionId: 's',
          start: '2027-01-18T04:30:00Z',
          end: '2027-01-18T07:30:00Z',
          title: 'Lecture',
          location: 'Room 3',
        },
      ],
      attachment: { filename: 'c.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' },
    };
    const out = renderReply(reply, ctx('th'));
    expect(out.text).toBe('Lecture on Monday');
    expect(out.table?.headers).toEqual(['วันเวลา', 'กิจกรรม', 'สถานที่']);
    expect(out.table?.rows[0]).toMatchObject({ title: 'Lecture', place: 'Room 3' });
    expect(out.table?.rows[0]?.when).toMatch(/13:30/);
    expect(out.download).toMatchObject({ filename: 'c.ics', label: 'เพิ่มลงในปฏิทิน (.ics)' });
  });

  it('turns the visit button into a link to the form, other buttons and suggestions into actions', () => {
    const reply = makeReply({
      intent: 'faq',
      lang: 'en',
      text: 'x',
      buttons: [
        { label: 'Request a visit', action: { type: 'visit' } },
        { label: 'Language', action: { type: 'say', text: 'language' } },
      ],
      suggestions: [{ entryId: 'koban-what-is', title: 'What is a koban?' }],
    });
    const out = renderReply(reply, ctx('en'));
    expect(out.buttons).toEqual([
      { label: 'Request a visit', href: '/visit?lang=en' },
      { label: 'Language', action: { type: 'say', text: 'language' } },
    ]);
    expect(out.suggestions).toEqual([
      { label: 'What is a koban?', action: { type: 'faq', entryId: 'koban-what-is' } },
    ]);
    expect(out.suggestionsLabel).toBe(i18n.t('en')('faq.related'));
  });
});

describe('HTML escaping', () => {
  it('escapes interpolated text and attributes, and keeps built markup', () => {
    expect(esc(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', html`<br>`]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br></p>',
    );
  });
});

describe('Accept-Language', () => {
  it('picks the best supported language by quality', () => {
    expect(fromAcceptLanguage('de-DE, fa;q=0.8, en;q=0.9')).toBe('en');
    expect(fromAcceptLanguage('fil-PH,de;q=0.5')).toBe('tl');
    expect(fromAcceptLanguage('de, fr;q=0.5')).toBeUndefined();
    expect(fromAcceptLanguage('en;q=0, vi')).toBe('vi');
  });
});
