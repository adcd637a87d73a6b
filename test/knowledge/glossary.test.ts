import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaqEngine } from '../../src/engines/knowledge/faq-engine.js';
import { readGlossary, searchGlossary } from '../../src/engines/knowledge/glossary.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { formatProblem, ProblemList } from '../../src/engines/knowledge/problems.js';
import { loadSchedules } from '../../src/engines/schedule/course-file.js';
import { SessionIndex } from '../../src/engines/schedule/session-matcher.js';

const KNOWLEDGE = join(import.meta.dirname, '../../knowledge');

function glossaryDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'koban-glossary-'));
  mkdirSync(join(dir, 'glossary'));
  writeFileSync(join(dir, 'glossary', 'words.yaml'), yaml);
  return dir;
}

describe('the glossary', () => {
  it('loads the repository glossary without problems', () => {
    const problems = new ProblemList();
    const concepts = readGlossary(KNOWLEDGE, problems);
    expect(problems.items.map(formatProblem)).toEqual([]);
    expect(concepts.find((c) => c.id === 'fingerprint')?.words.id).toContain('sidik jari');
  });

  it('reports an unknown language, a one-language concept and a duplicate id', () => {
    const problems = new ProblemList();
    const dir = glossaryDir(
      [
        'concepts:',
        '  - id: dna',
        '    words: { en: [DNA], xx: [DNA] }',
        '  - id: tea',
        '    words: { en: [tea ceremony] }',
      ].join('\n'),
    );
    expect(readGlossary(dir, problems)).toEqual([]);
    const text = problems.items.map(formatProblem).join('\n');
    expect(text).toContain('"xx" is not one of');
    expect(text).toContain('two or more languages');
    const again = new ProblemList();
    readGlossary(
      glossaryDir(
        'concepts:\n  - { id: a, words: { en: [x], ja: [y] } }\n  - { id: a, words: { en: [z], ja: [w] } }',
      ),
      again,
    );
    expect(again.items.map(formatProblem).join('\n')).toContain('already defined');
  });

  it('keeps a scope: schedule file out of the FAQ search, but not out of session names', () => {
    const problems = new ProblemList();
    const dir = glossaryDir(
      [
        'scope: schedule',
        'concepts:',
        '  - id: trip',
        '    words: { en: [trip, tour], id: [kunjungan] }',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'glossary', 'terms.yaml'),
      'concepts:\n  - { id: dna, words: { en: [DNA], ja: [DNA鑑定] } }',
    );
    const concepts = readGlossary(dir, problems);
    expect(problems.items.map(formatProblem)).toEqual([]);
    expect(concepts.map((c) => [c.id, c.scheduleOnly === true])).toEqual([
      ['dna', false],
      ['trip', true],
    ]);
    expect(searchGlossary(concepts).map((c) => c.id)).toEqual(['dna']);
    const bad = new ProblemList();
    readGlossary(glossaryDir('scope: faq\nconcepts: []'), bad);
    expect(bad.items.map(formatProblem).join('\n')).toContain('scope');
  });

  it('names timetable sessions in words their titles do not use', () => {
    const courses = [...loadSchedules(KNOWLEDGE).courses.values()];
    const plain = new SessionIndex(courses);
    const withGlossary = new SessionIndex(courses, readGlossary(KNOWLEDGE));
    const ids = (ix: SessionIndex, text: string, lang: 'en' | 'id' | 'tr' | 'fa') =>
      ix.match(text, lang).sessions.map((s) => s.id);
    expect(ids(plain, 'shoe print', 'en')).not.toEqual(['lecture-footwear-marks']);
    expect(ids(withGlossary, 'shoe print', 'en')).toEqual(['lecture-footwear-marks']);
    expect(ids(withGlossary, 'jejak sepatu', 'id')).toEqual(['lecture-footwear-marks']);
    expect(ids(withGlossary, 'ülke sunumu', 'tr')).toEqual(['country-reports', 'country-reports']);
    expect(ids(withGlossary, 'انگشت نگاری', 'fa')).toEqual(['lecture-fingerprint']);
  });

  it('lets the FAQ search find an entry through a concept named in another language', () => {
    const kb = loadKnowledge(KNOWLEDGE).knowledge;
    if (!kb) throw new Error('the repository knowledge base failed to load');
    // English text only: the words below are in no entry, only in the glossary.
    const entries = new Map(
      [...kb.entries].map(([id, e]) => [id, { ...e, translations: { en: e.translations.en } }]),
    );
    const english = { ...kb, entries } as typeof kb;
    const withGlossary = new FaqEngine(english);
    const without = new FaqEngine({ ...english, glossary: [] });
    for (const question of ['parmak izi course', 'ลายนิ้วมือ training', 'vân tay']) {
      expect(withGlossary.search(question, 'en').answer?.entry.id, question).toBe(
        'criminal-identification-training',
      );
      expect(without.search(question, 'en').answer?.entry.id, question).not.toBe(
        'criminal-identification-training',
      );
    }
  });
});
