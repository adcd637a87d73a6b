// A short word of a session name in another language matches by accident (issue 14, s9): Tagalog
// "lay" is not Vietnamese "Lấy" (take, in "Lấy mẫu DNA"), Turkish "tu" not Vietnamese "tự" (in the
// AFIS lecture's title). Names in the question's language and English still match.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { readGlossary } from '../../src/engines/knowledge/glossary.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { SessionIndex } from '../../src/engines/schedule/session-matcher.js';

const KNOWLEDGE = join(import.meta.dirname, '../../knowledge');
const index = new SessionIndex([...loadSchedules(KNOWLEDGE).courses.values()], readGlossary(KNOWLEDGE));
const named = (text: string, lang: Lang): string[] => index.match(text, lang).sessions.map((s) => s.id);

describe('session names across languages', () => {
  it('does not match a short word to another language name', () => {
    expect(named('lay', 'tl')).toEqual([]);
    expect(named('kailan lay', 'tl')).toEqual([]);
    expect(named('tu', 'tr')).toEqual([]);
  });

  it('still matches the same short words in their own language, and English names', () => {
    expect(named('lấy mẫu dna', 'vi')).toEqual(['exercise-dna-sampling']);
    expect(named('afis', 'tr')).toEqual(['lecture-afis']);
    expect(named('kailan ang DNA', 'tl')).toEqual(['lecture-dna', 'exercise-dna-sampling']);
  });
});
