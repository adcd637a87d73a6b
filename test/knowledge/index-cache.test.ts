import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/languages.js';
import { FaqEngine } from '../../src/engines/knowledge/faq-engine.js';
import {
  engineHash,
  indexPackageVersions,
  knowledgeHash,
  readIndexCache,
  type SnapshotSource,
} from '../../src/engines/knowledge/index-cache.js';
import { KnowledgeService } from '../../src/engines/knowledge/knowledge-service.js';
import { silentLogger } from '../../src/logger.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

function copyOfSmallKb(): { dir: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'koban-kb-'));
  cpSync(join(fixtures, 'kb-small'), dir, { recursive: true });
  return { dir, cacheDir: mkdtempSync(join(tmpdir(), 'koban-cache-')) };
}

describe('the index cache', () => {
  it('saves the indexes at the first start and answers the same from them at the next', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const first = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('faq-index-') && f.endsWith('.v8'))).toHaveLength(
      1,
    );
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeDefined();
    const second = new KnowledgeService(dir, silentLogger(), { cacheDir });
    for (const question of ['what is a koban', 'where is the police box', 'bitcoin price today']) {
      expect(second.faq.search(question, 'en')).toEqual(first.faq.search(question, 'en'));
    }
    expect(second.kb.entries.size).toBe(first.kb.entries.size);
    first.close();
    second.close();
  });

  it('is a miss when a knowledge file changes, so an edit is never answered from an old index', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const before = knowledgeHash(dir);
    new KnowledgeService(dir, silentLogger(), { cacheDir }).close();
    writeFileSync(
      join(dir, 'faq', 'koban-what-is', 'en.md'),
      '---\ntitle: Koban basics\ncategory: koban\nquestions: [what is a koban]\n---\nA police box.\n',
    );
    expect(knowledgeHash(dir)).not.toBe(before);
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeUndefined();
    const service = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(service.faq.show('koban-what-is', 'en')?.translation.title).toBe('Koban basics');
    service.close();
  });

  it('is a miss after an upgrade of lunr, lunr-languages or yaml (loaded from node_modules, not bundled)', () => {
    const require = createRequire(import.meta.url);
    const installed = indexPackageVersions();
    for (const name of ['lunr', 'lunr-languages', 'yaml']) {
      const { version } = require(`${name}/package.json`) as { version: string };
      expect(installed).toContain(`${name}@${version}`);
      const upgraded = installed.replace(`${name}@${version}`, `${name}@${version}-next`);
      expect(engineHash(upgraded)).not.toBe(engineHash(installed));
    }
    expect(engineHash()).toBe(engineHash(installed));
    const { dir } = copyOfSmallKb();
    expect(knowledgeHash(dir, engineHash(installed.replace('lunr@', 'lunr@0.')))).not.toBe(
      knowledgeHash(dir),
    );
  });

  it('treats a damaged cache file as a miss and rebuilds', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    new KnowledgeService(dir, silentLogger(), { cacheDir }).close();
    const [file] = readdirSync(cacheDir).filter((f) => f.startsWith('faq-index-') && f.endsWith('.v8'));
    writeFileSync(join(cacheDir, file ?? 'missing.v8'), 'not a cache file');
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeUndefined();
    const service = new KnowledgeService(dir, silentLogger(), { cacheDir });
    expect(service.faq.search('what is a koban', 'en').answer?.entry.id).toBe('koban-what-is');
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeDefined();
    service.close();
  });
});

describe('the cache file, read a language at a time', () => {
  it('is a miss when cut short (its header is at the end)', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    new KnowledgeService(dir, silentLogger(), { cacheDir }).close();
    const [file = 'missing.v8'] = readdirSync(cacheDir).filter(
      (f) => f.startsWith('faq-index-') && f.endsWith('.v8'),
    );
    const bytes = readFileSync(join(cacheDir, file));
    writeFileSync(join(cacheDir, file), bytes.subarray(0, bytes.length - 100));
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeUndefined();
  });

  it('builds a language whose bytes in the file are damaged, answering the same', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const built = new KnowledgeService(dir, silentLogger(), { cacheDir });
    const [file = 'missing.v8'] = readdirSync(cacheDir).filter(
      (f) => f.startsWith('faq-index-') && f.endsWith('.v8'),
    );
    const bytes = readFileSync(join(cacheDir, file));
    // The first language's bytes start right after the 24-byte preamble: break its v8 header.
    bytes.fill(0xff, 24, 64);
    writeFileSync(join(cacheDir, file), bytes);
    const cached = readIndexCache(cacheDir, knowledgeHash(dir));
    if (!cached) throw new Error('the header should still read');
    const sources = [...cached.indexes.values()];
    const results = sources.map((source) => source());
    expect(results[0]).toBeUndefined();
    expect(results.slice(1).every((r) => r !== undefined)).toBe(true);
    // Each source reads once.
    expect(sources[1]?.()).toBeUndefined();
    const again = readIndexCache(cacheDir, knowledgeHash(dir));
    if (!again) throw new Error('the header should still read');
    const engine = new FaqEngine(again.knowledge, again.indexes);
    for (const question of ['what is a koban', 'where is the police box', 'bitcoin price today']) {
      expect(engine.search(question, 'en')).toEqual(built.faq.search(question, 'en'));
    }
    built.close();
  });
});

describe('restoring from the index cache', () => {
  it('restores only the indexes a question searches, with the same answers as a build', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const built = new KnowledgeService(dir, silentLogger(), { cacheDir });
    const cached = readIndexCache(cacheDir, knowledgeHash(dir));
    if (!cached) throw new Error('no cache written');
    const restored: Lang[] = [];
    const counted = new Map<Lang, SnapshotSource>(
      [...cached.indexes].map(([lang, source]) => [
        lang,
        () => {
          restored.push(lang);
          return source();
        },
      ]),
    );
    const engine = new FaqEngine(cached.knowledge, counted);
    expect(restored).toEqual([]);
    expect(engine.search('what is a koban', 'en')).toEqual(built.faq.search('what is a koban', 'en'));
    expect(restored.sort()).toEqual(['en', 'tl']);
    engine.search('what is a koban', 'en');
    expect(restored).toHaveLength(2);
    engine.restoreAll();
    expect(restored.sort()).toEqual([...cached.indexes.keys()].sort());
    expect(engine.snapshots()).toEqual(built.faq.snapshots());
    built.close();
  });

  it('builds a language whose saved index is damaged instead, answering the same', () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const built = new KnowledgeService(dir, silentLogger(), { cacheDir });
    const cached = readIndexCache(cacheDir, knowledgeHash(dir));
    if (!cached) throw new Error('no cache written');
    const damaged = new Map(cached.indexes);
    damaged.set('en', () => undefined);
    const engine = new FaqEngine(cached.knowledge, damaged);
    for (const question of ['what is a koban', 'where is the police box', 'bitcoin price today']) {
      expect(engine.search(question, 'en')).toEqual(built.faq.search(question, 'en'));
    }
    built.close();
  });
});

describe('a reload of the running bot', () => {
  it('builds the new version in a worker thread and swaps it in, answering meanwhile', async () => {
    const { dir, cacheDir } = copyOfSmallKb();
    const service = new KnowledgeService(dir, silentLogger(), { cacheDir });
    writeFileSync(
      join(dir, 'faq', 'koban-what-is', 'en.md'),
      '---\ntitle: Koban basics\ncategory: koban\nquestions: [what is a koban]\n---\nA police box.\n',
    );
    const reloaded = service.reloadInBackground();
    // Until the swap, the old version answers.
    expect(service.faq.show('koban-what-is', 'en')?.translation.title).not.toBe('Koban basics');
    expect(await reloaded).toBe(true);
    expect(service.faq.show('koban-what-is', 'en')?.translation.title).toBe('Koban basics');
    expect(readIndexCache(cacheDir, knowledgeHash(dir))).toBeDefined();
    service.close();
  });
});
