import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/seeded-random.js';
import { PostingLists } from '../../src/engines/knowledge/posting-lists.js';

describe('PostingLists', () => {
  it('gives back every ascending list as built, by a table key or a key beside the table, and none for others', () => {
    const random = seededRandom(5);
    const table = Array.from({ length: 300 }, (_, i) => `t${i.toString().padStart(3, '0')}`).sort();
    const lists = new Map<string, number[]>();
    const keys = [...table.filter(() => random() < 0.7), 'zz-extra', 'aa-extra', 'mm-extra'];
    for (const key of keys) {
      // Small gaps, gaps past 16 bits and numbers past 16 bits (as the examples of a large index).
      const list: number[] = [];
      let at = Math.floor(random() * 200_000) - 1;
      for (let n = 1 + Math.floor(random() * 40); n > 0; n--) {
        at += random() < 0.1 ? 65_535 + Math.floor(random() * 100_000) : 1 + Math.floor(random() * 50);
        list.push(Math.max(0, at));
        at = Math.max(0, at);
      }
      lists.set(key, [...new Set(list)]);
    }
    const built = PostingLists.from(lists, table);
    for (const [key, list] of lists) expect([...(built.get(key) ?? [])], key).toEqual(list);
    expect(built.data.extra).toEqual(['aa-extra', 'mm-extra', 'zz-extra']);
    for (const key of table) if (!lists.has(key)) expect(built.get(key)).toBeUndefined();
    expect(built.get('not-a-key')).toBeUndefined();
    // Fewer bytes than 32-bit numbers.
    const numbers = [...lists.values()].reduce((n, l) => n + l.length, 0);
    expect(built.data.codes.byteLength).toBeLessThan(numbers * 4);
  });

  it('builds the same lists from two walks over (key, number) pairs as from the lists themselves', () => {
    const random = seededRandom(11);
    const table = Array.from({ length: 200 }, (_, i) => `t${i.toString().padStart(3, '0')}`).sort();
    const extras = ['zz-extra', 'aa-extra', 'mm-extra'];
    // Numbers in ascending order, each with a few keys (a number's terms), as an index's examples.
    const pairs: Array<[number | string, number]> = [];
    let value = -1;
    for (let n = 0; n < 2000; n++) {
      value += random() < 0.05 ? 65_535 + Math.floor(random() * 100_000) : 1 + Math.floor(random() * 3);
      const keys = new Set<number | string>();
      for (let k = Math.floor(random() * 6); k > 0; k--)
        keys.add(random() < 0.05 ? (extras[Math.floor(random() * 3)] as string) : Math.floor(random() * 200));
      for (const key of keys) pairs.push([key, value]);
    }
    const byRow: number[][] = table.map(() => []);
    const others = new Map<string, number[]>();
    for (const [key, v] of pairs) {
      if (typeof key === 'number') (byRow[key] as number[]).push(v);
      else others.set(key, [...(others.get(key) ?? []), v]);
    }
    const expected = PostingLists.fromRows(
      table,
      byRow.map((list) => (list.length > 0 ? list : undefined)),
      others,
    );
    let walks = 0;
    const walked = PostingLists.fromWalk(table, (add) => {
      walks++;
      for (const [key, v] of pairs) add(key, v);
    });
    expect(walks).toBe(2);
    expect(walked.data).toEqual(expected.data);
    expect(walked.data.extra).toEqual(['aa-extra', 'mm-extra', 'zz-extra']);
    expect(walked.data.codes.length).toBeGreaterThan(pairs.length);
  });

  it('refuses a walk whose numbers of a key are not ascending', () => {
    expect(() =>
      PostingLists.fromWalk(['a'], (add) => {
        add(0, 3);
        add(0, 2);
      }),
    ).toThrow(/ascending/);
  });

  it('refuses a list that is not ascending', () => {
    expect(() => PostingLists.from(new Map([['a', [3, 2]]]), ['a'])).toThrow(/ascending/);
  });
});
