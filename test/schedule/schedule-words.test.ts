import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kbValidate } from '../../src/cli/kb.js';
import { parseDate } from '../../src/engines/schedule/date-parser.js';
import {
  readScheduleWords,
  SCHEDULE_WORDS,
  scheduleWordsProblems,
  useScheduleWords,
} from '../../src/engines/schedule/schedule-words.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const NOW = new Date('2027-01-20T08:00:00+09:00');
const ZONE = 'Asia/Tokyo';

describe('schedule words kept in knowledge/schedule-words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'koban-words-'));
  cpSync(REPO_KNOWLEDGE, dir, { recursive: true });
  afterAll(() => {
    useScheduleWords(REPO_KNOWLEDGE);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the repository files, read and checked at load', () => {
    expect(readScheduleWords(REPO_KNOWLEDGE)).toEqual(SCHEDULE_WORDS);
    expect(SCHEDULE_WORDS.id.tomorrow).toContain('besok');
    expect(scheduleWordsProblems(REPO_KNOWLEDGE)).toEqual([]);
  });

  it('takes an edited word after a swap, and drops the date parser cache', () => {
    expect(parseDate('what about manana', 'en', NOW, ZONE).expr).toBeUndefined();
    const file = join(dir, 'schedule-words', 'en.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^tomorrow:\n/m, 'tomorrow:\n  - manana\n'));
    useScheduleWords(dir);
    const expr = parseDate('what about manana', 'en', NOW, ZONE).expr;
    expect(expr?.kind === 'day' ? expr.date.toISODate() : expr).toBe('2027-01-21');
  });

  it('reports a bad file in kb validate and keeps the words in use', () => {
    const file = join(dir, 'schedule-words', 'th.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^numericOrder: dm$/m, 'numericOrder: sideways'));
    const lines: string[] = [];
    expect(kbValidate(dir, (s) => lines.push(s), {})).toBe(1);
    expect(lines.join('\n')).toMatch(/schedule-words.*th\.yaml.*numericOrder/s);
    const before = SCHEDULE_WORDS.th;
    expect(() => useScheduleWords(dir)).toThrow(/th\.yaml/);
    expect(SCHEDULE_WORDS.th).toBe(before);
  });
});
