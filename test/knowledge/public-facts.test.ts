import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { formatProblem } from '../../src/engines/knowledge/problems.js';
import { unsourcedSpecifics } from '../../src/engines/knowledge/public-facts.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

describe('operational specifics in answers', () => {
  it('finds digits, times, prices and room codes written into an answer', () => {
    const none = new Set<string>();
    expect(unsourcedSpecifics('Breakfast is at 07:00.', none)).toEqual(['07:00']);
    expect(unsourcedSpecifics('You get ¥5,000 a day.', none)).toEqual(['5,000', '¥']);
    expect(unsourcedSpecifics('Pray in room B-105.', none)).toEqual(['105']);
    expect(unsourcedSpecifics('Laundry is in C-B, washing costs $.', none)).toEqual(['$', 'C-B']);
    expect(unsourcedSpecifics('تا ساعت ۲۳ برگردید', none)).toEqual(['23']);
    expect(unsourcedSpecifics('ภายใน ๕ วัน', none)).toEqual(['5']);
  });

  it('accepts placeholders, blocks and listed public facts', () => {
    const text = '{{#if times.curfew}}Back by {{times.curfew}}.{{/if}} Call 110. Wi-Fi works.';
    expect(unsourcedSpecifics(text, new Set(['110']))).toEqual([]);
    expect(unsourcedSpecifics(text, new Set())).toEqual(['110']);
  });

  it('no answer in the knowledge base writes out a specific that center.yaml or public-facts.yaml does not give', () => {
    const { knowledge, problems } = loadKnowledge(REPO_KNOWLEDGE);
    expect(knowledge).toBeDefined();
    const written = problems.items.filter((p) => p.message.includes('public-facts.yaml')).map(formatProblem);
    expect(written).toEqual([]);
  });
});
