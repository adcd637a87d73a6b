// Chat glued to a schedule question with no punctuation between (issue 14, s9): chat breaks
// ("lol", "wkwk", "555") cut clauses, and a question glued after a remark is read from the
// message's last words, without turning FAQ questions that mention a class or a day into lookups.
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

function sessions(
  text: string,
  lang: Lang,
  now: string,
  course = 'koban-seminar-2027',
): string[] | undefined {
  const q = parseQuestion(text, lang, new Date(now), ZONE, index, new Set([course]));
  if (!q) return undefined;
  const own = courses.filter((c) => c.id === course);
  return answerQuestion(own, q, new Date(now), true)
    .perCourse.flatMap((c) => c.sessions.map((s) => s.id))
    .sort();
}

// Thursday 21 January 2027 in Tokyo.
const EARLY = '2027-01-21T07:00:00+09:00';
const AFTERNOON = '2027-01-21T14:00:00+09:00';
const THURSDAY = ['exercise-crime-mapping', 'lecture-crime-prevention'];
const FRIDAY = ['ccc-visit', 'welcome-reception'];

describe('chat glued to a schedule question', () => {
  it('cuts a message at chat breaks', () => {
    expect(sessions('ugh overslept lol what time does class start tomorrow', 'en', EARLY)).toEqual(FRIDAY);
    expect(sessions('aduh telat bangun wkwk besok kelas jam berapa', 'id', EARLY)).toEqual(FRIDAY);
    expect(sessions('ตื่นสายอีกแล้ว555 พรุ่งนี้เรียนกี่โมง', 'th', EARLY)).toEqual(FRIDAY);
  });

  it('reads the question after a remark with no punctuation between', () => {
    expect(sessions('baru bangun hari ini ada kelas apa', 'id', EARLY)).toEqual(THURSDAY);
    expect(sessions('ngủ quên mất hôm nay học gì vậy', 'vi', EARLY)).toEqual(THURSDAY);
    expect(sessions('geç kaldım şu an nerede olmam lazım', 'tr', AFTERNOON)).toEqual([
      'exercise-crime-mapping',
    ]);
  });

  it('reads the question before a remark or an address with no punctuation between (s11)', () => {
    expect(sessions('besok ada kelas apa ya teman teman', 'id', EARLY)).toEqual(FRIDAY);
    expect(sessions('ngày mai học gì vậy cả nhà ơi', 'vi', EARLY)).toEqual(FRIDAY);
    expect(sessions('yarın ne var arkadaşlar hiç bakmadım', 'tr', EARLY)).toEqual(FRIDAY);
    expect(sessions('what do we have tomorrow guys i totally forgot', 'en', EARLY)).toEqual(FRIDAY);
  });

  it('takes a Japanese day clause with its own question mark before a remark (s11)', () => {
    expect(sessions('明日なにかありますか？全然チェックしてなくて', 'ja', EARLY)).toEqual(FRIDAY);
    // No question mark: a notice about the day, no question.
    expect(sessions('明日の授業、遅刻します', 'ja', EARLY)).toBeUndefined();
  });

  it('takes "what\'s next" closing a message as the question', () => {
    expect(sessions('finally done with lunch haha whats next', 'en', '2027-01-21T12:30:00+09:00')).toEqual([
      'exercise-crime-mapping',
    ]);
  });

  it('leaves remarks and FAQ questions that mention a class or a day alone', () => {
    expect(sessions('can i bring my family to class tomorrow', 'en', EARLY)).toBeUndefined();
    expect(sessions('traffic, late ako sa klase ngayon', 'tl', EARLY)).toBeUndefined();
    expect(sessions("I'm late for class tomorrow lol", 'en', EARLY)).toBeUndefined();
    expect(sessions('koban sistemi ne zaman kuruldu eskiden ne deniyordu', 'tr', EARLY)).toBeUndefined();
    // A question first, a remark after: still no schedule question when the question is an FAQ's.
    expect(
      sessions('can i bring my family to class tomorrow they are visiting', 'en', EARLY),
    ).toBeUndefined();
    expect(
      sessions("we'd like to see where the 110 emergency calls get answered", 'en', EARLY),
    ).toBeUndefined();
  });
});
