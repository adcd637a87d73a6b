import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, parseCenter } from '../../src/engines/knowledge/center.js';
import { KnowledgeService } from '../../src/engines/knowledge/knowledge-service.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { formatProblem, ProblemList } from '../../src/engines/knowledge/problems.js';
import { silentLogger } from '../../src/logger.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

describe('the knowledge loader', () => {
  it('reports a missing center.yaml once, as the root cause, not once per placeholder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-nocenter-'));
    cpSync(REPO_KNOWLEDGE, dir, { recursive: true });
    rmSync(join(dir, 'center.yaml'));
    const { knowledge, problems } = loadKnowledge(dir);
    expect(knowledge).toBeUndefined();
    expect(problems.errors.map(formatProblem)).toEqual([
      'center.yaml: missing; copy center.yaml from the repository and fill in the center details',
    ]);
  });

  it('loads a good tree with placeholders filled in', () => {
    const { knowledge, problems } = loadKnowledge(join(fixtures, 'kb-small'));
    expect(problems.errors).toEqual([]);
    expect([...(knowledge?.entries.keys() ?? [])].sort()).toEqual([
      'english-only',
      'koban-what-is',
      'visit-dress-code',
    ]);
    const dress = knowledge?.entries.get('visit-dress-code');
    expect(dress?.category).toBe('visit');
    expect(dress?.translations.en?.body).toContain('visits@example.org');
    expect(dress?.translations.id?.title).toBe('Pakaian saat kunjungan');
    expect(knowledge?.synonyms.en).toEqual([
      ['koban', 'police box'],
      ['clothes', 'attire', 'outfit'],
    ]);
    expect(knowledge?.offTopic.en).toContain('bitcoin price today');
    expect(knowledge?.offTopic.ja).toBeUndefined();
  });

  it('reports every problem of a broken tree at once, as "file: what is wrong, what to do"', () => {
    const { knowledge, problems } = loadKnowledge(join(fixtures, 'kb-broken'));
    expect(knowledge).toBeUndefined();
    const lines = problems.items.map(formatProblem);
    const expected: Array<[string, RegExp]> = [
      ['faq/Bad_Name', /lowercase id/],
      ['faq/bad-placeholder/en.md', /unknown placeholder \{\{contacts\.nobody\.email\}\}/],
      ['faq/broken-yaml/en.md', /not valid YAML/],
      ['faq/no-category/en.md', /category is missing/],
      ['faq/no-english/de.md', /language code/],
      ['faq/no-english/ja.md', /answer is empty/],
      ['faq/no-english', /no en\.md/],
      ['synonyms/en.yaml', /two or more words/],
      ['synonyms/xx.yaml', /language code/],
      ['off-topic/en.yaml', /must not be empty/],
      ['off-topic/ja.yaml', /"examples:" then one "- message" line/],
    ];
    for (const [file, pattern] of expected) {
      expect(
        lines.some((l) => l.startsWith(`${file}: `) && pattern.test(l)),
        `${file} ${pattern}`,
      ).toBe(true);
    }
    expect(problems.errors.length).toBe(expected.length);
    // A contact detail written out instead of its placeholder is a warning, not an error.
    expect(problems.items.map(formatProblem)).toContain(
      'faq/contact-written-out/en.md: warning: writes "visits@example.org" out; use {{contacts.visits.email}} instead, so an edit of center.yaml reaches this answer',
    );
  });

  it("reads an entry's not_answered list, and reports one that repeats a question or is missing in a language", () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-kb-'));
    try {
      cpSync(join(fixtures, 'kb-small'), dir, { recursive: true });
      writeFileSync(
        join(dir, 'faq', 'koban-what-is', 'en.md'),
        '---\ntitle: Koban basics\ncategory: koban\nquestions: [what is a koban, what is a police box, koban meaning, explain the koban]\nnot_answered: [how much does a koban officer earn]\n---\nA police box.\n',
      );
      const good = loadKnowledge(dir);
      expect(good.knowledge?.entries.get('koban-what-is')?.translations.en?.notAnswered).toEqual([
        'how much does a koban officer earn',
      ]);
      // ja.md has no list: a warning on that file.
      expect(good.problems.items.map(formatProblem)).toContain(
        'faq/koban-what-is/ja.md: warning: no not_answered list, while other languages of this entry have one; write it in this language too',
      );
      writeFileSync(
        join(dir, 'faq', 'koban-what-is', 'en.md'),
        '---\ntitle: Koban basics\ncategory: koban\nquestions: [what is a koban, what is a police box, koban meaning, explain the koban]\nnot_answered: [What is a koban]\n---\nA police box.\n',
      );
      const bad = loadKnowledge(dir);
      expect(bad.knowledge).toBeUndefined();
      expect(
        bad.problems.items
          .map(formatProblem)
          .some((l) => /^faq\/koban-what-is\/en\.md: .*both in questions and in not_answered/.test(l)),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates the repository knowledge base without errors', () => {
    const { knowledge, problems } = loadKnowledge(REPO_KNOWLEDGE);
    expect(problems.errors.map(formatProblem)).toEqual([]);
    expect(knowledge?.entries.size).toBeGreaterThanOrEqual(50);
  });

  it('keeps serving the last good version when a reload finds errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-kb-'));
    cpSync(join(fixtures, 'kb-small'), dir, { recursive: true });
    const service = new KnowledgeService(dir, silentLogger());
    expect(service.faq.search('what is a koban', 'en').answer?.entry.id).toBe('koban-what-is');
    writeFileSync(join(dir, 'faq', 'koban-what-is', 'en.md'), '---\ntitle: [unclosed\n---\n');
    expect(service.reload()).toBe(false);
    expect(service.faq.search('what is a koban', 'en').answer?.entry.id).toBe('koban-what-is');
    writeFileSync(
      join(dir, 'faq', 'koban-what-is', 'en.md'),
      '---\ntitle: Koban basics\ncategory: koban\nquestions: [what is a koban]\n---\nA police box.\n',
    );
    expect(service.reload()).toBe(true);
    expect(service.faq.show('koban-what-is', 'en')?.translation.title).toBe('Koban basics');
    service.close();
  });

  it('tells reload listeners (schedules) about every reload, also one that finds FAQ errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-kb-'));
    cpSync(join(fixtures, 'kb-small'), dir, { recursive: true });
    const service = new KnowledgeService(dir, silentLogger());
    const calls: string[] = [];
    service.onReload((d) => calls.push(d));
    service.onReload(() => {
      throw new Error('a listener that fails must not stop the reload');
    });
    writeFileSync(join(dir, 'faq', 'koban-what-is', 'en.md'), '---\ntitle: [unclosed\n---\n');
    expect(service.reload()).toBe(false);
    expect(calls).toEqual([dir]);
    expect(service.reload()).toBe(false);
    expect(calls).toEqual([dir, dir]);
    service.close();
  });
});

describe('center.yaml values per language', () => {
  it('fills a translated value in the answer language, else in English', () => {
    const center = { deadlines: { notice: { en: 'by 08:30', ja: '08:30まで' } }, phone: '110' };
    expect(fillPlaceholders('{{deadlines.notice}} / {{phone}}', center, 'ja').text).toBe('08:30まで / 110');
    expect(fillPlaceholders('{{deadlines.notice}}', center, 'vi').text).toBe('by 08:30');
    expect(fillPlaceholders('{{deadlines}}', center, 'en').missing).toEqual(['deadlines']);
  });

  it('shows the repository deadline in the reader language', () => {
    const { knowledge } = loadKnowledge(REPO_KNOWLEDGE);
    const entry = knowledge?.entries.get('trainee-attendance-absence');
    expect(entry?.translations.ja?.body).toContain('当日08:30まで');
    expect(entry?.translations.en?.body).toContain('by 08:30 on the same day');
    expect(entry?.translations.ja?.body).not.toContain('same day');
  });

  it('refuses a per-language contact name without English', () => {
    const problems = new ProblemList();
    const raw = {
      center: { name: 'C', address: 'A' },
      contacts: { desk: { name: { ja: '窓口' } } },
      emergency: { police: '110', fire_ambulance: '119' },
    };
    expect(parseCenter(raw, 'center.yaml', problems)).toBeUndefined();
    expect(problems.errors.map(formatProblem).join('\n')).toMatch(/contacts\.desk\.name.*"en"/);
  });
});
