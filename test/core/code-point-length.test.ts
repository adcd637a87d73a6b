import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/seeded-random.js';
import { codePointLength } from '../../src/core/text.js';

describe('codePointLength', () => {
  it('counts as [...s].length does, surrogate pairs and lone surrogates included', () => {
    const samples = ['', 'koban', 'ลายนิ้วมือ', '交番', 'a😀b', '\ud83d', 'x\ude00y', '\ud83d\ud83d\ude00'];
    const random = seededRandom(13);
    const units = [0x61, 0xe9, 0x3042, 0xd83d, 0xde00, 0x0e25];
    for (let i = 0; i < 500; i++) {
      const n = Math.floor(random() * 8);
      samples.push(
        String.fromCharCode(
          ...Array.from({ length: n }, () => units[Math.floor(random() * units.length)] ?? 0x61),
        ),
      );
    }
    for (const s of samples) expect(codePointLength(s), JSON.stringify(s)).toBe([...s].length);
  });
});
