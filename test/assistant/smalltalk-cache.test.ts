import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { prepareSmalltalk, smalltalkInputsHash } from '../../src/assistant/smalltalk-cache.js';
import { SmalltalkMatcher, smalltalkMatcherFor } from '../../src/assistant/smalltalk-match.js';
import { type KnowledgeBase, loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { silentLogger } from '../../src/logger.js';

const log = silentLogger();
const kb = loadKnowledge(join(import.meta.dirname, '..', '..', 'knowledge')).knowledge as KnowledgeBase;
/** A new object with the same content, as a start that loads the index cache gets. */
const again = (): KnowledgeBase => ({ ...kb });
const messages = [
  'thanks a lot, that really helped',
  'what kind of things can you do?',
  'ok makasih banyak ya kak',
  '本当にありがとうございました！',
  'ขอบคุณมากๆ ครับ',
  'where is the koban near the station?',
];
const trained = new SmalltalkMatcher(kb);
const expected = messages.map((m) => trained.match(m));

describe('the small-talk classifier saved beside the index cache', () => {
  it('is trained and saved on the first start, and restored with the same answers on the next', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    const first = again();
    prepareSmalltalk(first, dir, 'key1', log);
    expect(readdirSync(dir)).toEqual([]);
    smalltalkMatcherFor(first);
    expect(readdirSync(dir).filter((f) => f.startsWith('smalltalk-key1-'))).toHaveLength(1);
    const second = again();
    prepareSmalltalk(second, dir, 'key1', log);
    expect(messages.map((m) => smalltalkMatcherFor(second).match(m))).toEqual(expected);
    expect(expected.filter((m) => m !== undefined).length).toBeGreaterThan(3);
  });

  it('reads what the file holds (a model with other weights answers differently)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    const first = again();
    prepareSmalltalk(first, dir, 'key2', log);
    smalltalkMatcherFor(first);
    const [file] = readdirSync(dir).filter((f) => f.startsWith('smalltalk-key2-'));
    const state = trained.state();
    writeFileSync(
      join(dir, file as string),
      serialize({ ...state, weights: new Float32Array(state.weights.length) }),
    );
    const flat = again();
    prepareSmalltalk(flat, dir, 'key2', log);
    expect(messages.map((m) => smalltalkMatcherFor(flat).match(m))).not.toEqual(expected);
  });

  it('trains again when the file is not a saved model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    const first = again();
    prepareSmalltalk(first, dir, 'key3', log);
    smalltalkMatcherFor(first);
    const [file] = readdirSync(dir).filter((f) => f.startsWith('smalltalk-key3-'));
    writeFileSync(join(dir, file as string), 'not a model');
    const next = again();
    prepareSmalltalk(next, dir, 'key3', log);
    expect(messages.map((m) => smalltalkMatcherFor(next).match(m))).toEqual(expected);
    // Saved again once trained: the next start reads a model.
    expect(deserialize(readFileSync(join(dir, file as string)))).toHaveProperty('weights');
  });

  it('reads the saved model when a message first needs it, not at start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    const first = again();
    prepareSmalltalk(first, dir, 'key4', log);
    smalltalkMatcherFor(first);
    const [name] = readdirSync(dir).filter((f) => f.startsWith('smalltalk-key4-'));
    const file = join(dir, name as string);
    const state = trained.state();
    // At start the file holds a model with other weights; it is replaced before the first message.
    writeFileSync(file, serialize({ ...state, weights: new Float32Array(state.weights.length) }));
    const next = again();
    prepareSmalltalk(next, dir, 'key4', log);
    writeFileSync(file, serialize(state));
    expect(messages.map((m) => smalltalkMatcherFor(next).match(m))).toEqual(expected);
  });
});

describe('the key of the saved small-talk classifier', () => {
  /** `kb` with one entry's English translation changed by `change`. */
  const withEnglish = (change: (t: { title: string; questions: string[]; body: string }) => object) => {
    const [id, entry] = [...kb.entries][0] ?? [];
    if (!id || !entry?.translations.en) throw new Error('no entry');
    const entries = new Map(kb.entries);
    entries.set(id, {
      ...entry,
      translations: {
        ...entry.translations,
        en: { ...entry.translations.en, ...change(entry.translations.en) },
      },
    });
    return { ...kb, entries };
  };

  it('is kept by an edited answer (not a training input) and changed by what it learns from', () => {
    const before = smalltalkInputsHash(kb);
    expect(smalltalkInputsHash(again())).toBe(before);
    expect(smalltalkInputsHash(withEnglish((t) => ({ body: `${t.body} more` })))).toBe(before);
    expect(smalltalkInputsHash(withEnglish((t) => ({ questions: [...t.questions, 'one more'] })))).not.toBe(
      before,
    );
    expect(smalltalkInputsHash(withEnglish((t) => ({ title: `${t.title}!` })))).not.toBe(before);
    const offTopic = { ...kb.offTopic, en: [...(kb.offTopic.en ?? []), 'bitcoin'] };
    expect(smalltalkInputsHash({ ...kb, offTopic })).not.toBe(before);
    const smalltalk = { ...kb.smalltalk, en: { ...kb.smalltalk.en, thanks: ['cheers mate'] } };
    expect(smalltalkInputsHash({ ...kb, smalltalk })).not.toBe(before);
  });

  it('names the file, so another training input is trained and saved apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-smalltalk-'));
    const first = again();
    prepareSmalltalk(first, dir, 'key5', log);
    smalltalkMatcherFor(first);
    const edited = withEnglish((t) => ({ questions: [...t.questions, 'one more'] }));
    prepareSmalltalk(edited, dir, 'key5', log);
    smalltalkMatcherFor(edited);
    expect(readdirSync(dir).filter((f) => f.startsWith('smalltalk-key5-'))).toHaveLength(2);
  });
});
