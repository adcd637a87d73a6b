import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Tinyld from 'tinyld';
import { describe, expect, it } from 'vitest';
import {
  RESTRICTED_TINYLD,
  restrictedTinyldFile,
  restrictTinyld,
  TinyldLayoutError,
} from '../../src/assistant/tinyld-restrict.js';
import { LANGUAGES } from '../../src/core/languages.js';
import { readQuestionSet } from '../../src/eval/question-set.js';

const require = createRequire(import.meta.url);

describe('tinyld restricted to our languages', () => {
  it('is the committed vendor file, made from the installed tinyld (regenerate after an upgrade)', () => {
    expect(readFileSync(RESTRICTED_TINYLD, 'utf8')).toBe(restrictedTinyldFile());
  });

  it('gives the same languages and scores as the whole of tinyld on every development and held-out question', () => {
    const full = require('tinyld') as typeof Tinyld;
    const ours = require(RESTRICTED_TINYLD) as typeof Tinyld;
    const texts = [...readQuestionSet('test/dev-set'), ...readQuestionSet('test/holdout')].map((q) => q.text);
    expect(texts.length).toBeGreaterThan(1000);
    const latin = ['en', 'id', 'vi', 'tl', 'tr'];
    let differ = 0;
    for (const text of texts) {
      for (const only of [latin, [...LANGUAGES]]) {
        if (JSON.stringify(ours.detectAll(text, { only })) !== JSON.stringify(full.detectAll(text, { only })))
          differ++;
      }
    }
    expect(differ).toBe(0);
    // Without `only` the other languages are gone: a French sentence is not French to it.
    expect(full.detect('où est la gare, s’il vous plaît')).toBe('fr');
    expect(ours.detect('où est la gare, s’il vous plaît')).not.toBe('fr');
  });

  it('refuses a bundle it does not recognise', () => {
    expect(() => restrictTinyld('module.exports = {}', LANGUAGES)).toThrow(TinyldLayoutError);
  });
});
