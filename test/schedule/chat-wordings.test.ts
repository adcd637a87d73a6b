// Schedule questions in the words the outside writers' trainees use (session 7): an absence remark
// beside a day, "after lunch", fillers in Japanese, sessions named by a chat word, and days off.
process.env.TZ = 'America/New_York';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { readGlossary } from '../../src/engines/knowledge/glossary.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { parseQuestion } from '../../src/engines/schedule/question.js';
import { answerQuestion } from '../../src/engines/schedule/schedule-engine.js';
import { SessionIndex } from '../../src/engines/schedule/session-matcher.js';

const ZONE = 'Asia/Tokyo';
const KNOWLEDGE = join(import.meta.dirname, '../../knowledge');
const courses = [...loadSchedules(KNOWLEDGE).courses.values()];
const index = new SessionIndex(courses, readGlossary(KNOWLEDGE));

/** The session ids `course` gives for a question asked at `now`; undefined when it is no schedule question. */
function sessions(
  text: string,
  lang: Lang,
  now: string,
  course = 'koban-seminar-2027',
): string[] | undefined {
  const q = parseQuestion(text, lang, new Date(now), ZONE, index, new Set([course]));
  if (!q) return undefined;
  const own = courses.filter((c) => c.id === course);
  return answerQuestion(own, q, new Date(now), true).perCourse.flatMap((c) => c.sessions.map((s) => s.id));
}

// Monday 25 January 2027, evening in Tokyo.
const MON = '2027-01-25T19:30:00+09:00';
const TUESDAY = ['lecture-traffic', 'koban-visit-asakusa'];

describe('chat wordings of schedule questions (outside writers, session 7)', () => {
  it('answers the day asked about after an absence remark, and leaves a bare absence to the FAQ', () => {
    expect(sessions('I was absent today, sorry. what is on tomorrow?', 'en', MON)?.sort()).toEqual(
      [...TUESDAY].sort(),
    );
    expect(sessions('absent ako kanina, ano ang klase bukas?', 'tl', MON)?.sort()).toEqual(
      [...TUESDAY].sort(),
    );
    expect(sessions("I'll be absent tomorrow", 'en', MON)).toBeUndefined();
    // A change request beside the day stays a request.
    expect(sessions('I am late, can I postpone my visit tomorrow?', 'en', MON)).toBeUndefined();
  });

  it('reads "after lunch" and "before lunch" as afternoon and morning', () => {
    const tuesday = '2027-01-26T08:00:00+09:00';
    const afternoon = sessions('what do we have after lunch?', 'en', tuesday);
    const morning = sessions('what do we have before lunch?', 'en', tuesday);
    expect(afternoon).toHaveLength(1);
    expect(morning).toHaveLength(1);
    expect(afternoon).not.toEqual(morning);
    expect(sessions('setelah makan siang ada kegiatan apa?', 'id', tuesday)).toEqual(afternoon);
    expect(sessions('sau bữa trưa học gì vậy', 'vi', tuesday)).toEqual(afternoon);
    expect(sessions('öğle yemeğinden sonra ne var', 'tr', tuesday)).toEqual(afternoon);
    expect(sessions('بعد از ناهار چی داریم', 'fa', tuesday)).toEqual(afternoon);
  });

  it('takes Japanese fillers of several characters out whole ("見せてください")', () => {
    const week = sessions('来週の予定を見せてください', 'ja', MON);
    expect(week?.length).toBeGreaterThan(3);
    expect(sessions('来週の予定', 'ja', MON)).toEqual(week);
  });

  it('prefers the session whose names hold more of the question, then its number', () => {
    expect(sessions('what time does the Asakusa koban visit start?', 'en', MON)).toEqual([
      'koban-visit-asakusa',
    ]);
    expect(sessions('where is the mock crime scene day 2?', 'en', MON, 'crim-id-2027')).toEqual([
      'mock-scene-2',
    ]);
  });

  it('finds sessions by the words trainees use for them', () => {
    expect(sessions('when is the exam?', 'en', MON)).toEqual(['final-exam']);
    expect(sessions('sınav hangi gün', 'tr', MON)).toEqual(['final-exam']);
    // The Persian question mark ends a clause: the remark after it is chat.
    expect(sessions('امتحان آخر کی است؟ من هنوز اصلا آماده نیستم', 'fa', MON)).toEqual(['final-exam']);
    expect(sessions('ロープレはどこ？', 'ja', MON)).toEqual(['exercise-counter-role-play']);
    expect(sessions('NRIPS gezisi saat kaçta', 'tr', MON, 'crim-id-2027')).toEqual(['nrips-visit']);
  });

  it('answers a day with nothing on it as a schedule question with no sessions', () => {
    expect(sessions('anything on Sunday?', 'en', MON)).toEqual([]);
    expect(sessions('pazar günü bi şey var mı', 'tr', MON)).toEqual([]);
    expect(sessions('日曜日はなにかある？', 'ja', MON)).toEqual([]);
  });

  it('does not read a short common word as the start of a session name ("late" is not "latent prints")', () => {
    // Tuesday 2 February, 13:50: the digital forensics lecture starts at 14:00.
    const at = '2027-02-02T13:50:00+09:00';
    expect(sessions('running late, where do i have to be now??', 'en', at, 'crim-id-2027')).toEqual([
      'lecture-digital-forensics',
    ]);
    // A longer start of a name still finds it.
    expect(sessions('when is the latent prints exercise?', 'en', at, 'crim-id-2027')).toEqual([
      'exercise-latent-prints',
    ]);
  });

  it('reads the chat words for "next" in Tagalog and Indonesian', () => {
    const at = '2027-01-26T10:00:00+09:00';
    const next = sessions('anong sunod na klase?', 'tl', at);
    expect(next).toHaveLength(1);
    expect(sessions('abis ini kelas apa?', 'id', at)).toEqual(next);
  });
});
