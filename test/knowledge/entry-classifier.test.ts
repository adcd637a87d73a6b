import { describe, expect, it } from 'vitest';
import {
  EntryClassifier,
  OFF_TOPIC,
  type TrainingExample,
} from '../../src/engines/knowledge/entry-classifier.js';

const examples: TrainingExample[] = [
  { features: ['koban', 'what'], label: 'koban-what-is' },
  { features: ['koban', 'mean', 'word'], label: 'koban-what-is' },
  { features: ['koban', 'officer', 'do', 'duty'], label: 'koban-duties' },
  { features: ['officer', 'work', 'daily'], label: 'koban-duties' },
  { features: ['weather', 'paris'], label: OFF_TOPIC },
  { features: ['bitcoin', 'price'], label: OFF_TOPIC },
];

function argmax(p: Map<string, number>): string | undefined {
  return [...p.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

describe('the entry classifier', () => {
  it('tells close entries apart by the words that differ', () => {
    const c = new EntryClassifier(examples);
    expect(argmax(c.predict(['koban', 'officer', 'duty']))).toBe('koban-duties');
    expect(argmax(c.predict(['koban', 'mean']))).toBe('koban-what-is');
    expect(argmax(c.predict(['bitcoin', 'today']))).toBe(OFF_TOPIC);
  });

  it('gives probabilities that sum to 1, and ignores words it never saw', () => {
    const c = new EntryClassifier(examples);
    const p = c.predict(['never', 'seen']);
    const sum = [...p.values()].reduce((s, x) => s + x, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(p.size).toBe(3);
    for (const x of p.values()) expect(x).toBeGreaterThan(0.1);
  });

  it('is deterministic: the same examples give the same model', () => {
    const a = new EntryClassifier(examples).predict(['koban', 'officer']);
    const b = new EntryClassifier(examples).predict(['koban', 'officer']);
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  it('copes with one label or none', () => {
    expect(new EntryClassifier([]).predict(['x']).size).toBe(0);
    // One label carries no information: no probabilities rather than a certain 1.
    expect(new EntryClassifier([{ features: ['a'], label: 'only' }]).predict(['a']).size).toBe(0);
  });
});
