// The server runs in New York; the course runs in Tokyo. Days must follow the course.
process.env.TZ = 'America/New_York';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { readGlossary } from '../../src/engines/knowledge/glossary.js';
import { ProblemList } from '../../src/engines/knowledge/problems.js';
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

  it('reads polite requests and "the whole week" around a range as a schedule question', () => {
    const nextWeek = sessions('来週の予定を全部見せてください', 'ja', LATE);
    expect(nextWeek).toContain('koban-visit-tachikawa');
    expect(nextWeek).toContain('farewell-lunch');
    expect(sessions('bu haftanın tüm programını görebilir miyim', 'tr', LATE)).toContain('tea-ceremony');
    expect(sessions('can you show me the whole of this week', 'en', LATE)).toContain('tea-ceremony');
    expect(sessions('明日の午前の予定教えてください', 'ja', LATE)).toEqual(['lecture-disaster-response']);
  });

  it('reads "free?" about a part of the day as a question about it', () => {
    const noon = '2027-01-25T12:10:00+09:00';
    expect(sessions('nanti siang kosong ga?', 'id', noon)).toEqual(['lecture-lost-property']);
    expect(sessions('bugün öğleden sonra boş muyuz', 'tr', noon)).toEqual(['lecture-lost-property']);
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

/** The sessions a crim-id-2027 question names, read on 2027-01-20 at 10:00 with `ix`. */
const namedWith =
  (ix: SessionIndex) =>
  (text: string, lang: Lang): string[] | undefined =>
    parseQuestion(
      text,
      lang,
      new Date('2027-01-20T10:00:00+09:00'),
      ZONE,
      ix,
      new Set(['crim-id-2027']),
    )?.named?.sessions.map((s) => s.id);

describe('sessions named by a title word and a glossary word together', () => {
  const glossary = readGlossary(join(import.meta.dirname, '../../knowledge'), new ProblemList());
  const named = namedWith(new SessionIndex(courses, glossary));

  it('finds the NRIPS visit from "visit" in the title and "NRIPS" in the glossary', () => {
    expect(named('kunjungan ke NRIPS kapan ya', 'id')).toEqual(['nrips-visit']);
    expect(named('NRIPS ziyareti ne zaman', 'tr')).toEqual(['nrips-visit']);
    expect(named('بازدید از NRIPS کی هست', 'fa')).toEqual(['nrips-visit']);
  });

  it('still prefers one title holding both words ("fingerprint lecture")', () => {
    expect(named("when's the fingerprint lecture again", 'en')).toEqual(['lecture-fingerprint']);
  });

  it('narrows a name that fits a lecture and an exercise by the kind the question names', () => {
    expect(named('lớp vân tay khi nào', 'vi')).toEqual(['lecture-fingerprint']);
    expect(named('when is the DNA class', 'en')).toEqual(['lecture-dna']);
    expect(named('درس دی ان ای کیه', 'fa')).toEqual(['lecture-dna']);
  });

  it('does not join words of names in other languages ("ดู" of a Thai title, "police" of an English one)', () => {
    expect(named('ดูหนัง police story ได้ที่ไหน', 'th')).toBeUndefined();
  });
});

describe('an ordinal picks one of a series of sessions', () => {
  const named = namedWith(index);

  it('reads "the first one", "lần 2", "ikinci" among sessions that differ only by their number', () => {
    expect(named('when is the mock crime scene? the first one', 'en')).toEqual(['mock-scene-1']);
    expect(named('diễn tập hiện trường lần 2 khi nào', 'vi')).toEqual(['mock-scene-2']);
    expect(named('ikinci canlandırma olay yeri ne zaman', 'tr')).toEqual(['mock-scene-2']);
    expect(named('when is the mock crime scene', 'en')).toEqual(['mock-scene-1', 'mock-scene-2']);
  });
});
