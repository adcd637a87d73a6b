// The server runs in New York; the course runs in Tokyo. Dates must follow the course.
process.env.TZ = 'America/New_York';

import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { parseDate } from '../../src/engines/schedule/date-parser.js';

// Wednesday 20 January 08:00 in Tokyo, still Tuesday 19 January 18:00 in New York.
const NOW = new Date('2027-01-20T08:00:00+09:00');
const ZONE = 'Asia/Tokyo';

function day(text: string, lang: Lang): string | undefined {
  const { expr } = parseDate(text, lang, NOW, ZONE);
  return expr?.kind === 'day' ? (expr.date.toISODate() ?? undefined) : expr?.kind;
}

function range(text: string, lang: Lang): string | undefined {
  const { expr } = parseDate(text, lang, NOW, ZONE);
  return expr?.kind === 'range'
    ? `${expr.which} ${expr.from.toISODate()}..${expr.to.toISODate()}`
    : expr?.kind;
}

const CASES: Record<Lang, Array<[string, string]>> = {
  en: [
    ['what do we have today?', '2027-01-20'],
    ['tomorrow?', '2027-01-21'],
    ['the day after tomorrow', '2027-01-22'],
    ['on Monday', '2027-01-25'],
    ['next Friday', '2027-01-29'],
    ['20 January', '2027-01-20'],
    ['January 26th', '2027-01-26'],
    ['2027-01-20', '2027-01-20'],
    ['20/1', '2027-01-20'],
    ["Monday's schedule", '2027-01-25'],
  ],
  ja: [
    ['今日の予定', '2027-01-20'],
    ['明日', '2027-01-21'],
    ['あさって', '2027-01-22'],
    ['月曜日の予定', '2027-01-25'],
    ['来週の金曜日', '2027-01-29'],
    ['1月20日', '2027-01-20'],
    ['１月２６日', '2027-01-26'],
    ['1/26の予定', '2027-01-26'],
    ['25日は？', '2027-01-25'],
  ],
  id: [
    ['hari ini', '2027-01-20'],
    ['besok', '2027-01-21'],
    ['lusa', '2027-01-22'],
    ['hari senin', '2027-01-25'],
    ['jumat depan', '2027-01-29'],
    ['20 Januari', '2027-01-20'],
    ['tanggal 26', '2027-01-26'],
    ['hari minggu', '2027-01-24'],
  ],
  vi: [
    ['hôm nay', '2027-01-20'],
    ['ngày mai', '2027-01-21'],
    ['ngày mốt', '2027-01-22'],
    ['thứ hai', '2027-01-25'],
    ['thứ sáu tuần sau', '2027-01-29'],
    ['20 tháng 1', '2027-01-20'],
    ['ngày 26/1', '2027-01-26'],
    ['thu hai', '2027-01-25'],
  ],
  th: [
    ['วันนี้', '2027-01-20'],
    ['พรุ่งนี้', '2027-01-21'],
    ['มะรืนนี้', '2027-01-22'],
    ['วันจันทร์', '2027-01-25'],
    ['วันศุกร์หน้า', '2027-01-29'],
    ['20 มกราคม', '2027-01-20'],
    ['26 ม.ค. 2570', '2027-01-26'],
    ['๒๖ มกราคม', '2027-01-26'],
  ],
  tl: [
    ['ano meron sa 27th?', '2027-01-27'],
    ['ano sched sa Martes next week po', '2027-01-26'],
    ['ngayong araw', '2027-01-20'],
    ['bukas', '2027-01-21'],
    ['sa makalawa', '2027-01-22'],
    ['sa Lunes', '2027-01-25'],
    ['susunod na Biyernes', '2027-01-29'],
    ['Enero 20', '2027-01-20'],
    ['1/26', '2027-01-26'],
    ['sa Linggo', '2027-01-24'],
  ],
  tr: [
    ["ayın 22'sinde ne var", '2027-01-22'],
    ['bugün', '2027-01-20'],
    ['yarın', '2027-01-21'],
    ['öbür gün', '2027-01-22'],
    ['pazartesi', '2027-01-25'],
    ['haftaya cuma', '2027-01-29'],
    ['20 Ocak', '2027-01-20'],
    ["26 Ocak'ta", '2027-01-26'],
    ['cumartesi', '2027-01-23'],
    ['20.01.2027', '2027-01-20'],
  ],
  fa: [
    ['امروز', '2027-01-20'],
    ['فردا', '2027-01-21'],
    ['پس‌فردا', '2027-01-22'],
    ['دوشنبه', '2027-01-25'],
    ['جمعه آینده', '2027-01-29'],
    ['۲۰ ژانویه', '2027-01-20'],
    ['۲۶ جنوری', '2027-01-26'],
    ['شنبه', '2027-01-23'],
  ],
};

describe('date understanding with the server in another time zone', () => {
  it('really runs in New York (the test would prove nothing otherwise)', () => {
    expect(NOW.getDate()).toBe(19);
    expect(NOW.getHours()).toBe(18);
  });

  for (const [lang, cases] of Object.entries(CASES) as Array<[Lang, Array<[string, string]>]>) {
    it(`reads days in ${lang}`, () => {
      for (const [text, expected] of cases) expect([text, day(text, lang)]).toEqual([text, expected]);
    });
  }

  it('reads this week, next week and the rest of the course in every language', () => {
    const thisWeek = 'thisWeek 2027-01-18..2027-01-24';
    const nextWeek = 'nextWeek 2027-01-25..2027-01-31';
    expect(range('this week', 'en')).toBe(thisWeek);
    expect(range('next week', 'en')).toBe(nextWeek);
    expect(range('今週', 'ja')).toBe(thisWeek);
    expect(range('来週の予定', 'ja')).toBe(nextWeek);
    expect(range('minggu ini', 'id')).toBe(thisWeek);
    expect(range('minggu depan', 'id')).toBe(nextWeek);
    expect(range('tuần sau', 'vi')).toBe(nextWeek);
    expect(range('อาทิตย์หน้า', 'th')).toBe(nextWeek);
    expect(range('ngayong linggo', 'tl')).toBe(thisWeek);
    expect(range('susunod na linggo', 'tl')).toBe(nextWeek);
    expect(range('bu hafta', 'tr')).toBe(thisWeek);
    expect(range('هفته آینده', 'fa')).toBe(nextWeek);
    expect(range('rest of the course', 'en')).toBe('rest');
    expect(range('kursun geri kalanı', 'tr')).toBe('rest');
  });

  it('counts "today" from the zone\'s midnight as the clock passes it, zone by zone', () => {
    const today = (iso: string, zone: string) => {
      const { expr } = parseDate('today', 'en', new Date(iso), zone);
      return expr?.kind === 'day' ? expr.date.toISO() : expr?.kind;
    };
    expect(today('2027-01-20T00:00:00+09:00', ZONE)).toBe('2027-01-20T00:00:00.000+09:00');
    expect(today('2027-01-20T23:59:59.999+09:00', ZONE)).toBe('2027-01-20T00:00:00.000+09:00');
    expect(today('2027-01-21T00:00:00+09:00', ZONE)).toBe('2027-01-21T00:00:00.000+09:00');
    expect(today('2027-01-20T23:59:59.999+09:00', ZONE)).toBe('2027-01-20T00:00:00.000+09:00');
    // The same instant, another zone: still 19 January in New York.
    expect(today('2027-01-20T08:00:00+09:00', 'America/New_York')).toBe('2027-01-19T00:00:00.000-05:00');
    expect(today('2027-01-20T08:00:00+09:00', ZONE)).toBe('2027-01-20T00:00:00.000+09:00');
  });

  it('finds no date in a message without one', () => {
    expect(parseDate('what should I wear on a koban visit?', 'en', NOW, ZONE).expr).toBeUndefined();
    expect(parseDate('may klase ba?', 'tl', NOW, ZONE).expr).toBeUndefined();
  });
});

describe('a part of the day said about the hour, before the clause naming the day', () => {
  const part = (text: string, lang: Lang) => parseDate(text, lang, NOW, ZONE).partOfDay;

  it('is a remark, not a part of that day', () => {
    expect(day('pasensya na gabi na, ano schedule bukas?', 'tl')).toBe('2027-01-21');
    expect(part('pasensya na gabi na, ano schedule bukas?', 'tl')).toBeUndefined();
    expect(day('夜分にすみません。来週の月曜って何がありますか？', 'ja')).toBe('2027-01-25');
    expect(part('夜分にすみません。来週の月曜って何がありますか？', 'ja')).toBeUndefined();
  });

  it('still narrows the day when it is in the same clause or after it', () => {
    expect(part('pasensya na, ano schedule bukas ng gabi?', 'tl')).toBe('evening');
    expect(part('tomorrow, in the afternoon?', 'en')).toBe('afternoon');
    expect(part('明日の午後は何がありますか', 'ja')).toBe('afternoon');
    expect(part('sorry, anything tomorrow morning?', 'en')).toBe('morning');
  });

  it('still narrows today when the message names no day', () => {
    expect(part('sorry to ask again, anything this afternoon?', 'en')).toBe('afternoon');
  });
});
