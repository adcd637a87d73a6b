import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Lang } from '../../src/core/languages.js';
import {
  checkNotice,
  durationText,
  NOTICE_KINDS,
  type NoticeKind,
  renderNotice,
} from '../../src/engines/announcements/notices.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { I18nService } from '../../src/i18n/i18n.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const i18n = new I18nService();
const courses = [...loadSchedules(REPO_KNOWLEDGE).courses.values()];
const ctx = { courses, defaultZone: 'Asia/Tokyo', i18n };

/** One valid example per kind, with what must show in every language. */
const EXAMPLES: Record<NoticeKind, { fields: Record<string, unknown>; expect: Record<Lang, string[]> }> = {
  // koban-visit is on Wednesday 2027-01-20, 09:00 in Tokyo.
  'session-moved': {
    fields: {
      course: 'koban-seminar-2027',
      session: 'koban-visit-shinjuku',
      start: '10:00',
      meet: 'Main gate',
    },
    expect: {
      en: ['Wednesday, January 20', '10:00 AM', '9:00 AM', 'Main gate', 'Koban'],
      ja: ['1月20日水曜日', '10:00', '9:00', 'Main gate', '交番'],
      id: ['Rabu, 20 Januari', '10.00', '9.00', 'Main gate'],
      vi: ['Thứ Tư, 20 tháng 1', '10:00', '9:00', 'Main gate'],
      th: ['วันพุธที่ 20 มกราคม', '10:00', '9:00', 'Main gate'],
      tl: ['Miyerkules, Enero 20', '10:00 AM', '9:00 AM', 'Main gate'],
      tr: ['20 Ocak Çarşamba', '10:00', '9:00', 'Main gate'],
      fa: ['چهارشنبه ۲۰ ژانویه', '۱۰:۰۰', '۹:۰۰', 'Main gate'],
    },
  },
  'session-cancelled': {
    fields: { session: 'koban-visit-shinjuku', note: { en: 'Bad weather.', ja: '悪天候のため。' } },
    expect: {
      en: ['9:00 AM', 'cancelled', 'Bad weather.'],
      ja: ['9:00', '中止', '悪天候のため。'],
      id: ['9.00', 'dibatalkan', 'Bad weather.'],
      vi: ['9:00', 'hủy', 'Bad weather.'],
      th: ['9:00', 'ยกเลิก', 'Bad weather.'],
      tl: ['9:00 AM', 'Kanselado', 'Bad weather.'],
      tr: ['9:00', 'iptal', 'Bad weather.'],
      fa: ['۹:۰۰', 'لغو', 'Bad weather.'],
    },
  },
  'meeting-point': {
    fields: { session: 'koban-visit-shinjuku', time: '08:45', place: 'Main gate', departure: '09:00' },
    expect: {
      en: ['8:45 AM', '9:00 AM', 'Main gate'],
      ja: ['8:45', '9:00', 'Main gate'],
      id: ['8.45', '9.00', 'Main gate'],
      vi: ['8:45', '9:00', 'Main gate'],
      th: ['8:45', '9:00', 'Main gate'],
      tl: ['8:45 AM', '9:00 AM', 'Main gate'],
      tr: ['8:45', '9:00', 'Main gate'],
      fa: ['۸:۴۵', '۹:۰۰', 'Main gate'],
    },
  },
  dress: {
    fields: { date: '2027-01-20', dress: 'uniform' },
    expect: {
      en: ['Wednesday, January 20', 'police uniform'],
      ja: ['1月20日水曜日', '制服'],
      id: ['Rabu, 20 Januari', 'seragam'],
      vi: ['Thứ Tư, 20 tháng 1', 'đồng phục'],
      th: ['วันพุธที่ 20 มกราคม', 'เครื่องแบบ'],
      tl: ['Miyerkules, Enero 20', 'uniporme'],
      tr: ['20 Ocak Çarşamba', 'üniforma'],
      fa: ['چهارشنبه ۲۰ ژانویه', 'یونیفورم'],
    },
  },
  alert: {
    fields: { hazard: 'typhoon', until: '2027-01-20 18:00' },
    expect: {
      en: ['typhoon', '6:00 PM'],
      ja: ['台風', '18:00'],
      id: ['Topan', '18.00'],
      vi: ['Bão', '18:00'],
      th: ['ไต้ฝุ่น', '18:00'],
      tl: ['bagyo', '6:00 PM'],
      tr: ['tayfun', '18:00'],
      fa: ['توفان', '۱۸:۰۰'],
    },
  },
  deadline: {
    fields: { course: 'crim-id-2027', what: 'report', date: '2027-02-01', time: '17:00' },
    expect: {
      en: ['country report', 'Monday, February 1', '5:00 PM'],
      ja: ['カントリーレポート', '2月1日月曜日', '17:00'],
      id: ['laporan negara', 'Senin, 1 Februari', '17.00'],
      vi: ['báo cáo quốc gia', 'Thứ Hai, 1 tháng 2', '17:00'],
      th: ['รายงานประเทศ', 'วันจันทร์ที่ 1 กุมภาพันธ์', '17:00'],
      tl: ['country report', 'Lunes, Pebrero 1', '5:00 PM'],
      tr: ['ülke raporunuz', '1 Şubat Pazartesi', '17:00'],
      fa: ['گزارش کشور', 'دوشنبه ۱ فوریه', '۱۷:۰۰'],
    },
  },
};

const plain = (s: string): string => s.replace(/[\u200e\u200f\u202f\u00a0]/g, ' ');

describe('structured notices', () => {
  for (const kind of NOTICE_KINDS) {
    for (const lang of LANGUAGES) {
      it(`writes a ${kind} notice in ${lang} with its fields and the course's local time`, () => {
        const example = EXAMPLES[kind];
        const result = renderNotice(kind, example.fields, lang, ctx);
        expect(result.ok).toBe(true);
        const text = plain(`${result.reply.title}\n${result.reply.text}`);
        for (const part of example.expect[lang]) expect(text).toContain(plain(part));
        expect(result.reply.lang).toBe(lang);
        expect(result.reply.kind).toBe(kind);
        expect(result.reply.dir).toBe(lang === 'fa' ? 'rtl' : 'ltr');
        // Every language has its own wording (no English fallback) except where English is the language.
        if (lang !== 'en') {
          const en = renderNotice(kind, example.fields, 'en', ctx).reply;
          expect(result.reply.title).not.toBe(en.title);
        }
      });
    }
  }

  it('shows a session moved to another day with both days', () => {
    const r = renderNotice(
      'session-moved',
      { session: 'koban-visit-shinjuku', date: '2027-01-21', start: '13:00' },
      'en',
      ctx,
    );
    expect(plain(r.reply.text)).toContain(
      'Wednesday, January 20, 9:00 AM to **Thursday, January 21, 1:00 PM**',
    );
  });

  it('gives times in the course zone, whatever zone the process runs in', () => {
    const r = checkNotice('session-moved', { session: 'koban-visit-shinjuku', start: '10:00' }, ctx);
    expect(r.ok && r.notice.zone).toBe('Asia/Tokyo');
  });

  it('refuses bad fields with one localized line per field', () => {
    const bad = { session: 'koban-visit-shinjuku', start: '25:00', colour: 'red' };
    const en = renderNotice('session-moved', bad, 'en', ctx);
    expect(en.ok).toBe(false);
    expect(en.reply.text).toContain('Start time: write it like 10:00');
    expect(en.reply.text).toContain('colour: not a field of this notice');
    const number = renderNotice('session-moved', { session: 'koban-visit-shinjuku', start: 930 }, 'en', ctx);
    expect(number.reply.text).toContain('Start time: write it like 10:00');
    const ja = renderNotice('session-moved', bad, 'ja', ctx);
    expect(ja.reply.text).toContain('開始時刻：10:00 のように書いてください');
    expect(ja.reply.lang).toBe('ja');
  });

  it('refuses a session that is not in the timetable, and a missing one, in the reader language', () => {
    const vi = renderNotice('session-cancelled', { session: 'no-such-thing' }, 'vi', ctx);
    expect(vi.ok).toBe(false);
    expect(vi.reply.text).toContain('không có buổi “no-such-thing”');
    const tr = renderNotice('session-cancelled', {}, 'tr', ctx);
    expect(tr.reply.text).toContain('Oturum: eksik');
  });

  it('refuses a move that changes nothing, an unknown kind and an unknown choice', () => {
    const moved = renderNotice('session-moved', { session: 'koban-visit-shinjuku' }, 'en', ctx);
    expect(moved.ok ? [] : moved.problems.map((p) => p.code)).toEqual(['nothingChanged']);
    const kind = renderNotice('parade', {}, 'id', ctx);
    expect(kind.reply.text).toContain('jenis pemberitahuan tidak dikenal');
    const dress = renderNotice('dress', { date: '2027-01-20', dress: 'pyjamas' }, 'en', ctx);
    expect(dress.reply.text).toContain('Dress: choose one of: uniform, suit');
  });

  it('words durations per language', () => {
    expect(durationText(45, 'en')).toBe('45 minutes');
    expect(durationText(12 * 60, 'ja')).toBe('12 時間');
    expect(durationText(90, 'tr')).toBe('1 saat 30 dakika');
  });
});
