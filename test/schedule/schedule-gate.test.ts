import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { parseQuestion } from '../../src/engines/schedule/question.js';
import { mayAskSchedule } from '../../src/engines/schedule/schedule-gate.js';
import { SCHEDULE_WORDS } from '../../src/engines/schedule/schedule-words.js';
import { SessionIndex } from '../../src/engines/schedule/session-matcher.js';

const courses = [...loadSchedules(join(import.meta.dirname, '../../knowledge')).courses.values()];
const index = new SessionIndex(courses);
const NOW = new Date('2027-01-26T10:00:00+09:00');

describe('the schedule gate (cheap routing before the schedule parser)', () => {
  it('lets through messages with a day, a digit or a schedule word', () => {
    expect(mayAskSchedule(['what do we have tomorrow?'], 'en')).toBe(true);
    expect(mayAskSchedule(['anything on 3.2?'], 'en')).toBe(true);
    expect(mayAskSchedule(['when is the tea ceremony'], 'en')).toBe(true);
    expect(mayAskSchedule(['明日の予定は'], 'ja')).toBe(true);
    expect(mayAskSchedule(['พรุ่งนี้มีเรียนอะไร'], 'th')).toBe(true);
    // A Turkish ending glued to the day ("cumaya", to Friday).
    expect(mayAskSchedule(['cumaya ne var'], 'tr')).toBe(true);
    // English day words are understood in every language.
    expect(mayAskSchedule(['ada apa tomorrow'], 'id')).toBe(true);
  });

  it('stops messages with none, even when a day name hides inside a longer word', () => {
    expect(mayAskSchedule(['how much money should I bring'], 'en')).toBe(false);
    expect(mayAskSchedule(['is the dormitory wifi free'], 'en')).toBe(false);
    expect(mayAskSchedule(['bisa bayar pakai kartu kredit'], 'id')).toBe(false);
  });

  it('looks at the clauses joined too, as the parser reads runs of them', () => {
    expect(mayAskSchedule(['ok.tomorrow'], 'en')).toBe(false);
    expect(mayAskSchedule(['ok.tomorrow', 'ok tomorrow'], 'en')).toBe(true);
    expect(parseQuestion('thanks.tomorrow?', 'en', NOW, 'Asia/Tokyo', index)?.focus).toBe('day');
  });

  it('leaves FAQ questions to the FAQ as before', () => {
    expect(parseQuestion('how much money should I bring', 'en', NOW, 'Asia/Tokyo', index)).toBeUndefined();
  });

  it('takes new word lists when they are swapped in (a knowledge reload)', () => {
    const saved = SCHEDULE_WORDS.en;
    expect(mayAskSchedule(['zorblat'], 'en')).toBe(false);
    try {
      SCHEDULE_WORDS.en = { ...saved, timetable: [...saved.timetable, 'zorblat'] };
      expect(mayAskSchedule(['zorblat'], 'en')).toBe(true);
    } finally {
      SCHEDULE_WORDS.en = saved;
    }
    expect(mayAskSchedule(['zorblat'], 'en')).toBe(false);
  });
});

describe('the schedule gate with the session names', () => {
  const names = (lang: 'en' | 'ja' | 'id') => (folded: string) => index.mayName(folded, lang);

  it('lets "when"/"where" through only beside a session name', () => {
    expect(mayAskSchedule(['when is the tea ceremony'], 'en', names('en'))).toBe(true);
    expect(mayAskSchedule(['where is the opening ceremony'], 'en', names('en'))).toBe(true);
    expect(mayAskSchedule(['when should I pay the dormitory fee'], 'en', names('en'))).toBe(false);
    expect(mayAskSchedule(['where can I buy a sim card'], 'en', names('en'))).toBe(false);
    // Without the names (or in unspaced text, which a segmenter cuts) any "when" still goes on.
    expect(mayAskSchedule(['when should I pay the dormitory fee'], 'en')).toBe(true);
  });

  it('still lets days, digits and timetable words through without a name', () => {
    expect(mayAskSchedule(['what do we have tomorrow?'], 'en', names('en'))).toBe(true);
    expect(mayAskSchedule(['when is the 3rd'], 'en', names('en'))).toBe(true);
    expect(mayAskSchedule(['where is my next class'], 'en', names('en'))).toBe(true);
  });

  it('lets a course word through only with a start or end word', () => {
    expect(mayAskSchedule(['when does the course end'], 'en', names('en'))).toBe(true);
    expect(mayAskSchedule(['what should I bring to the training'], 'en', names('en'))).toBe(false);
    expect(mayAskSchedule(['how do I open a bank account'], 'en', names('en'))).toBe(false);
  });

  it('no longer lets through words that ask nothing alone (fillers, parts of the day, months)', () => {
    expect(mayAskSchedule(['please help me with the wifi'], 'en', names('en'))).toBe(false);
    expect(mayAskSchedule(['good morning everyone'], 'en', names('en'))).toBe(false);
    expect(mayAskSchedule(['is january cold in tokyo'], 'en', names('en'))).toBe(false);
  });

  it('answers the same questions as the parser without the name check', () => {
    for (const text of [
      'when is the tea ceremony',
      'when should I pay the dormitory fee',
      'where is the opening ceremony?',
      'please help me with the wifi',
      'when does the course end',
      'what should I bring to the training',
    ]) {
      const q = parseQuestion(text, 'en', NOW, 'Asia/Tokyo', index);
      expect(q === undefined).toBe(!mayAskSchedule([text], 'en', names('en')));
    }
  });
});
