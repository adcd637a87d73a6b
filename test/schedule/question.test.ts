// The server runs in New York; the course runs in Tokyo. Days must follow the course.
process.env.TZ = 'America/New_York';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { parseQuestion } from '../../src/engines/schedule/question.js';
import { answerQuestion } from '../../src/engines/schedule/schedule-engine.js';
import { SessionIndex } from '../../src/engines/schedule/session-matcher.js';
import { fromSolarHijri, toSolarHijri } from '../../src/engines/schedule/solar-hijri.js';

const ZONE = 'Asia/Tokyo';
const courses = [...loadSchedules(join(import.meta.dirname, '../../knowledge')).courses.values()];
const index = new SessionIndex(courses);
const seminar = courses.filter((c) => c.id === 'koban-seminar-2027');

/** The session ids the seminar's timetable gives for a question asked at `now`. */
function sessions(text: string, lang: Lang, now: string): string[] | undefined {
  const q = parseQuestion(text, lang, new Date(now), ZONE, index, new Set(['koban-seminar-2027']));
  if (!q) return undefined;
  return answerQuestion(seminar, q, new Date(now), true).perCourse.flatMap((c) =>
    c.sessions.map((s) => s.id),
  );
}

describe('schedule questions as people write them in chat', () => {
  // Tuesday 26 January 2027, late evening in Tokyo (still the morning of the 26th in New York).
  const LATE = '2027-01-26T23:40:00+09:00';

  it('narrows "tomorrow afternoon" to the afternoon, in Tokyo time near midnight', () => {
    expect(sessions('what do we have tomorrow afternoon?', 'en', LATE)).toEqual([
      'exercise-counter-role-play',
    ]);
    expect(sessions('chiều mai có gì không ạ', 'vi', LATE)).toEqual(['exercise-counter-role-play']);
    expect(sessions('明日の午前は何がありますか', 'ja', LATE)).toEqual(['lecture-disaster-response']);
    expect(sessions('พรุ่งนี้เช้ามีเรียนอะไรครับ', 'th', LATE)).toEqual(['lecture-disaster-response']);
  });

  it('reads "this afternoon" alone as today', () => {
    expect(sessions('hapon ngayon, ano ang schedule?', 'tl', '2027-01-25T08:00:00+09:00')).toEqual([
      'lecture-lost-property',
    ]);
  });

  it('finds the question after an apology or a remark, and before one', () => {
    expect(sessions('sorry, my phone died during lunch. what do we have tomorrow?', 'en', LATE)).toEqual([
      'lecture-disaster-response',
      'exercise-counter-role-play',
    ]);
    expect(sessions('ne var yarın? bugün çok yorulduk', 'tr', LATE)).toEqual([
      'lecture-disaster-response',
      'exercise-counter-role-play',
    ]);
  });

  it('does not read "good morning" as a question about the morning', () => {
    expect(sessions('good morning! what is on today?', 'en', '2027-01-27T08:00:00+09:00')).toEqual([
      'lecture-disaster-response',
      'exercise-counter-role-play',
    ]);
  });

  it('leaves a message with a question of its own around the day to the FAQ', () => {
    const text =
      'Delegasi kami mau kunjungan ke koban minggu depan. Boleh pakai seragam dinas Polri? Atau batik aja?';
    expect(sessions(text, 'id', LATE)).toBeUndefined();
  });

  it('reads Iranian and Dari month names in the Solar Hijri calendar', () => {
    expect(sessions('برنامه ۱۴ بهمن چیه؟', 'fa', LATE)).toEqual(['action-plan-presentations']);
    expect(sessions('به تاریخ ۶ دلو چه پروگرام است؟', 'fa', LATE)).toEqual([
      'koban-visit-asakusa',
      'lecture-traffic',
    ]);
    expect(sessions('برنامه ٢٩ جدی ١٤٠٥ چیست', 'fa', LATE)).toEqual([
      'lecture-japanese-police',
      'country-reports',
    ]);
  });
});

describe('Solar Hijri dates', () => {
  it('converts both ways around Nowruz and the year end', () => {
    expect(fromSolarHijri(1405, 1, 1, ZONE)?.toISODate()).toBe('2026-03-21');
    expect(fromSolarHijri(1405, 11, 14, ZONE)?.toISODate()).toBe('2027-02-03');
    expect(fromSolarHijri(1405, 12, 31, ZONE)).toBeUndefined();
    const d = fromSolarHijri(1403, 12, 30, ZONE);
    expect(d && toSolarHijri(d)).toEqual({ year: 1403, month: 12, day: 30 });
  });
});
