import { describe, expect, it } from 'vitest';
import { DocTermsBuilder } from '../../src/engines/knowledge/doc-terms.js';
import { ExampleTerms } from '../../src/engines/knowledge/example-terms.js';

describe('ExampleTerms', () => {
  const build = () => {
    const docTerms = new DocTermsBuilder();
    const examples = new ExampleTerms(docTerms);
    docTerms.add([['koban', 'visit', 'koban'], ['dress']], 1);
    // 'wear' and 'uniform' are in no document yet when this phrasing is added; 'uniform' is later.
    examples.add(['what', 'wear', 'koban', 'wear', 'visit', 'uniform'], 'a');
    docTerms.add([['uniform', 'lost'], []], 1);
    examples.add(['lost', 'uniform', 'lost'], 'b');
    docTerms.build();
    return { docTerms, examples };
  };

  it('gives each phrasing back as its terms, in order, repeats kept', () => {
    const { examples } = build();
    expect(examples.length).toBe(2);
    expect(examples.example(0)).toEqual({
      features: ['what', 'wear', 'koban', 'wear', 'visit', 'uniform'],
      label: 'a',
    });
    expect(examples.example(1, 'entry')).toEqual({ features: ['lost', 'uniform', 'lost'], label: 'entry' });
  });

  it("walks each phrasing's distinct terms in the order first met, as sorted ids or unheld terms", () => {
    const { docTerms, examples } = build();
    const seen: Array<[number, Array<number | string>]> = [];
    examples.forEachDistinct((i, terms) => {
      seen.push([i, [...terms]]);
    });
    const id = (t: string) => docTerms.idOf(t) as number;
    // 'uniform' was met in a later document: by its id, as a Set of the strings would find it.
    expect(seen).toEqual([
      [0, ['what', 'wear', id('koban'), id('visit'), id('uniform')]],
      [1, [id('lost'), id('uniform')]],
    ]);
  });
});
