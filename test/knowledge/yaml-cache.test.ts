import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YamlCache } from '../../src/engines/knowledge/yaml-cache.js';

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
