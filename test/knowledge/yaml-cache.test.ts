import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { YamlCache, YamlTexts } from '../../src/engines/knowledge/yaml-cache.js';

function folder(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'koban-yaml-cache-'));
  const file = join(dir, 'words.yaml');
  writeFileSync(file, 'today: [today, tonight]\n');
  return { dir, file };
}

describe('the YAML cache', () => {
  it('serves a file parsed at an earlier start under the same key, without reading it', () => {
    const { dir, file } = folder();
    const first = YamlCache.open(join(dir, 'cache'), 'k1');
    expect(first.read(file)).toEqual({ today: ['today', 'tonight'] });
    first.save();
    // The file changes, the key does not: the saved parse is what the next start gets.
    writeFileSync(file, 'today: [changed]\n');
    expect(YamlCache.open(join(dir, 'cache'), 'k1').read(file)).toEqual({ today: ['today', 'tonight'] });
  });

  it('parses again under another key (an edited knowledge folder)', () => {
    const { dir, file } = folder();
    const first = YamlCache.open(join(dir, 'cache'), 'k1');
    first.read(file);
    first.save();
    writeFileSync(file, 'today: [changed]\n');
    expect(YamlCache.open(join(dir, 'cache'), 'k2').read(file)).toEqual({ today: ['changed'] });
  });

  it('writes nothing when every read was a hit, and treats a damaged file as empty', () => {
    const { dir, file } = folder();
    const cacheDir = join(dir, 'cache');
    const first = YamlCache.open(cacheDir, 'k1');
    first.read(file);
    first.save();
    const again = YamlCache.open(cacheDir, 'k1');
    again.read(file);
    again.save();
    expect(readdirSync(cacheDir)).toEqual(['yaml-k1.v8']);
    writeFileSync(join(cacheDir, 'yaml-k1.v8'), 'not v8');
    writeFileSync(file, 'today: [fresh]\n');
    expect(YamlCache.open(cacheDir, 'k1').read(file)).toEqual({ today: ['fresh'] });
  });

  it('does not let a caller change what it serves next', () => {
    const { dir, file } = folder();
    const cache = YamlCache.open(join(dir, 'cache'), 'k1');
    const value = cache.read(file) as { today: string[] };
    value.today.push('mutated');
    expect(cache.read(file)).toEqual({ today: ['today', 'tonight'] });
  });
});

describe('the YAML cache under a new key (one knowledge file edited)', () => {
  it('takes a file whose text did not change from the newest other key, and parses a changed one', () => {
    const { dir, file } = folder();
    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'tomorrow: [tomorrow]\n');
    const cacheDir = join(dir, 'cache');
    const first = YamlCache.open(cacheDir, 'k1');
    first.read(file);
    first.read(other);
    first.save();
    // What k1 holds for words.yaml, with another value: served only if k1's parse is reused.
    const saved = deserialize(readFileSync(join(cacheDir, 'yaml-k1.v8'))) as [
      number,
      Map<string, { text: string; value: unknown }>,
    ];
    const entry = saved[1].get(file);
    if (!entry) throw new Error('words.yaml not saved');
    saved[1].set(file, { ...entry, value: { today: ['from k1'] } });
    writeFileSync(join(cacheDir, 'yaml-k1.v8'), serialize(saved));
    writeFileSync(other, 'tomorrow: [edited]\n');
    const second = YamlCache.open(cacheDir, 'k2');
    expect(second.read(file)).toEqual({ today: ['from k1'] });
    expect(second.read(other)).toEqual({ tomorrow: ['edited'] });
    second.save();
    expect(YamlCache.open(cacheDir, 'k2').read(other)).toEqual({ tomorrow: ['edited'] });
  });
});

describe('the parsed YAML by text (the knowledge loader on a stale index cache)', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'koban-yaml-texts-')), 'texts.v8');

  it('serves a text parsed at an earlier load, a copy each time, and parses a changed text', () => {
    const at = file();
    const first = YamlTexts.open(at);
    expect(first.parse('a: [1, 2]\n')).toEqual({ a: [1, 2] });
    first.save();
    const second = YamlTexts.open(at);
    const value = second.parse('a: [1, 2]\n') as { a: number[] };
    expect(value).toEqual({ a: [1, 2] });
    value.a.push(3);
    expect(second.parse('a: [1, 2]\n')).toEqual({ a: [1, 2] });
    expect(second.parse('a: [1, 2, 3]\n')).toEqual({ a: [1, 2, 3] });
  });

  it('never saves bad YAML: it throws at every load', () => {
    const at = file();
    const first = YamlTexts.open(at);
    expect(() => first.parse('a: [1, 2\n')).toThrow();
    first.save();
    expect(existsSync(at)).toBe(false);
    expect(() => YamlTexts.open(at).parse('a: [1, 2\n')).toThrow();
  });

  it('keeps only the texts of the latest load', () => {
    const at = file();
    const first = YamlTexts.open(at);
    first.parse('old: 1\n');
    first.parse('kept: 1\n');
    first.save();
    const second = YamlTexts.open(at);
    second.parse('kept: 1\n');
    second.save();
    // Saved again without the text no longer asked for, so a third load that asks for both parses one.
    const third = YamlTexts.open(at) as unknown as { saved: Map<string, unknown> };
    expect(third.saved.size).toBe(1);
  });

  it('gives the loader the same knowledge base as parsing every file', () => {
    const dir = join(import.meta.dirname, '..', '..', 'knowledge');
    const at = file();
    const first = YamlTexts.open(at);
    loadKnowledge(dir, { parseYaml: first.parse });
    first.save();
    const cached = loadKnowledge(dir, { parseYaml: YamlTexts.open(at).parse });
    const plain = loadKnowledge(dir);
    expect(cached.knowledge).toEqual(plain.knowledge);
    expect(cached.problems).toEqual(plain.problems);
  }, 60_000);
});
