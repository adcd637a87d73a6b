/** The web chat's words exist in every language the assistant speaks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/core/languages.js';
import { LOCALES_DIR } from '../../src/i18n/i18n.js';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

const read = (lang: string): Tree =>
  JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'web.json'), 'utf8')) as Tree;

describe('locales/<lang>/web.json', () => {
  const english = keys(read('en')).sort();
  it.each(LANGUAGES.filter((l) => l !== 'en'))('has every English key in %s, translated', (lang) => {
    const tree = read(lang);
    expect(keys(tree).sort()).toEqual(english);
    const page = tree.page as Record<string, string>;
    expect(page.send).not.toBe((read('en').page as Record<string, string>).send);
  });
});
