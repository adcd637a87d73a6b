import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, unconfirmedPaths, valuePaths } from '../../src/engines/knowledge/center.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { formatProblem } from '../../src/engines/knowledge/problems.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

describe('{{#if}} blocks in answers', () => {
  const answer = [
    'Intro.',
    '{{#if services.pickup}}',
    '- Someone meets you: {{contacts.phone}}',
    '{{else}}',
    '- Take the train.',
    '{{/if}}',
    '- Last line.',
  ].join('\n');

  it('shows the first form when the value is on, keeping the list intact', () => {
    const center = { services: { pickup: true }, contacts: { phone: '+81-1' } };
    expect(fillPlaceholders(answer, center).text).toBe('Intro.\n- Someone meets you: +81-1\n- Last line.');
  });

  it('shows the {{else}} form when the value is false, and nothing without an else', () => {
    const center = { services: { pickup: false }, contacts: { phone: '+81-1' } };
    expect(fillPlaceholders(answer, center).text).toBe('Intro.\n- Take the train.\n- Last line.');
    expect(fillPlaceholders('A{{#if services.pickup}} B{{/if}}.', center).text).toBe('A.');
  });

  it('chooses a translated value by the reader language', () => {
    const center = { times: { curfew: { en: '23:00', ja: 'なし' } } };
    expect(fillPlaceholders('{{#if times.curfew}}by {{times.curfew}}{{/if}}', center, 'vi').text).toBe(
      'by 23:00',
    );
  });

  it('reports every path used, in either form, and a switch that does not exist', () => {
    const filled = fillPlaceholders(answer, { contacts: { phone: '1' } });
    expect(filled.used.sort()).toEqual(['contacts.phone', 'services.pickup']);
    expect(filled.missing).toEqual(['services.pickup']);
  });

  it('flags unclosed and nested blocks', () => {
    const center = { a: true, b: true };
    expect(fillPlaceholders('{{#if a}} open', center).malformed).toBe(true);
    expect(fillPlaceholders('{{#if a}}{{#if b}}x{{/if}}{{/if}}', center).malformed).toBe(true);
    expect(fillPlaceholders('{{#if a}}x{{else}}y{{/if}}', center).malformed).toBe(false);
  });
});

describe('confirmed center.yaml values', () => {
  it('counts a value given per language once and a confirmed section for all its values', () => {
    const center = {
      contacts: { desk: { name: { en: 'Desk', ja: '窓口' }, phone: '1' } },
      times: { lunch: '12' },
    };
    expect(valuePaths(center)).toEqual(['contacts.desk.name', 'contacts.desk.phone', 'times.lunch']);
    expect(unconfirmedPaths(center, ['contacts'])).toEqual(['times.lunch']);
    expect(unconfirmedPaths(center, ['contacts.desk.phone'])).toEqual(['contacts.desk.name', 'times.lunch']);
  });

  it('lists the shipped example values as unconfirmed, with the answers that use them', () => {
    const { knowledge } = loadKnowledge(REPO_KNOWLEDGE);
    const unconfirmed = new Map(knowledge?.unconfirmed.map((u) => [u.path, u.usedBy]));
    expect(unconfirmed.get('services.allowance')).toContain('faq/trainee-money-allowance/ja.md');
    expect(unconfirmed.get('contacts.coordinator.email')?.length).toBeGreaterThan(20);
    expect(unconfirmed.has('emergency.police')).toBe(false);
  });

  it('refuses a confirmed path that names no value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-confirmed-'));
    cpSync(join(fixtures, 'kb-confirmed'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'center.yaml'),
      'confirmed: [center, contacts.visit]\ncenter: { name: C, address: A }\ncontacts: { visits: { email: v@example.org } }\nemergency: { police: "110", fire_ambulance: "119" }\ndeadlines: { visit_request_days: 30 }\n',
    );
    const { knowledge, problems } = loadKnowledge(dir);
    expect(knowledge).toBeUndefined();
    expect(problems.errors.map(formatProblem).join('\n')).toMatch(
      /center\.yaml: confirmed: "contacts\.visit" is not a value/,
    );
  });
});

describe('answer sources', () => {
  it('resolves an entry source to its note, with a title per language', () => {
    const { knowledge } = loadKnowledge(REPO_KNOWLEDGE);
    const source = knowledge?.entries.get('center-statistics-2012')?.source;
    expect(source?.title.en).toContain('Developing International Cooperation');
    expect(source?.title.ja).toContain('警察庁');
  });

  it('refuses a source that is neither a note in knowledge/sources/ nor a URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-source-'));
    cpSync(join(fixtures, 'kb-confirmed'), dir, { recursive: true });
    const file = join(dir, 'faq', 'english-only', 'en.md');
    writeFileSync(
      file,
      '---\ntitle: T\ncategory: koban\nsource: missing-note.md\nquestions: [a, b, c, d]\n---\nBody.\n',
    );
    const { problems } = loadKnowledge(dir);
    expect(problems.errors.map(formatProblem).join('\n')).toMatch(
      /faq\/english-only\/en\.md: source "missing-note\.md" is not in knowledge\/sources\//,
    );
    writeFileSync(
      file,
      '---\ntitle: T\ncategory: koban\nsource: not a url\nquestions: [a, b, c, d]\n---\nBody.\n',
    );
    expect(loadKnowledge(dir).problems.errors.map(formatProblem).join('\n')).toMatch(/source: name a file/);
  });
});
