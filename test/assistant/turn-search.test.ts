import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/assistant/turn.js';
import { searchTurn } from '../../src/assistant/turn-search.js';
import type { FaqEngine, FaqResult } from '../../src/engines/knowledge/faq-engine.js';

/** A stand-in engine that counts its searches and answers each with a new result. */
function countingEngine(): { faq: FaqEngine; calls: Array<[string, string]> } {
  const calls: Array<[string, string]> = [];
  const faq = {
    search(text: string, lang: string): FaqResult {
      calls.push([text, lang]);
      return { suggestions: [], confidence: calls.length / 100 };
    },
  } as unknown as FaqEngine;
  return { faq, calls };
}

function turnOf(text: string, lang: Turn['lang'] = 'en'): Turn {
  return { text, lang } as Turn;
}

describe('searchTurn', () => {
  it('searches a turn once however often it is asked', () => {
    const { faq, calls } = countingEngine();
    const turn = turnOf('where can I pray');
    const first = searchTurn(faq, turn);
    expect(searchTurn(faq, turn)).toBe(first);
    expect(calls).toEqual([['where can I pray', 'en']]);
  });

  it('searches afresh for another turn, a changed text or language, or another engine', () => {
    const { faq, calls } = countingEngine();
    const turn = turnOf('where can I pray');
    const first = searchTurn(faq, turn);
    // The same words in another turn (another user, or the next message).
    expect(searchTurn(faq, turnOf('where can I pray'))).not.toBe(first);
    // A copy of the turn with a piece of the message is its own object.
    searchTurn(faq, { ...turn, text: 'pray' });
    turn.lang = 'id';
    expect(searchTurn(faq, turn)).not.toBe(first);
    turn.text = 'di mana musala';
    searchTurn(faq, turn);
    expect(calls).toEqual([
      ['where can I pray', 'en'],
      ['where can I pray', 'en'],
      ['pray', 'en'],
      ['where can I pray', 'id'],
      ['di mana musala', 'id'],
    ]);
    // A knowledge reload brings another engine: its own search.
    const reloaded = countingEngine();
    searchTurn(reloaded.faq, turn);
    expect(reloaded.calls).toEqual([['di mana musala', 'id']]);
  });
});
