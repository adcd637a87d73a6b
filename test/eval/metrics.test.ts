import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReply } from '../../src/assistant/reply-builder.js';
import type { Reply } from '../../src/core/reply.js';
import { type Outcome, summarize } from '../../src/eval/metrics.js';
import { isConversationFile, type Question, readQuestionSet } from '../../src/eval/question-set.js';
import { score } from '../../src/eval/run-eval.js';

const outcome = (o: Partial<Outcome>): Outcome => ({
  lang: 'en',
  outOfScope: false,
  schedule: false,
  conversation: false,
  refused: false,
  right: false,
  rank: 0,
  ms: 1,
  ...o,
});

describe('eval metrics', () => {
  it('separates answering right (top1) from ranking the right entry first (first)', () => {
    const m = summarize([
      outcome({ right: true, rank: 1 }),
      // refused, but the first "did you mean" was right
      outcome({ refused: true, rank: 1 }),
      // answered wrong, the right entry second
      outcome({ rank: 2 }),
      outcome({ outOfScope: true, refused: true, right: true, rank: 1 }),
    ]);
    expect(m.inScope).toBe(3);
    expect(m.top1).toBeCloseTo(1 / 3);
    expect(m.first).toBeCloseTo(2 / 3);
    expect(m.recall3).toBeCloseTo(1);
    expect(m.mrr).toBeCloseTo((1 + 1 + 0.5) / 3);
    expect(m.inScopeRefused).toBeCloseTo(1 / 3);
    expect(m.fallbackRecall).toBe(1);
    expect(m.fallbackPrecision).toBeCloseTo(1 / 2);
  });

  it('scores conversation items apart: they change neither FAQ top-1 nor schedule accuracy', () => {
    const m = summarize([
      outcome({ right: true, rank: 1 }),
      outcome({ schedule: true, right: true }),
      outcome({ conversation: true, right: false }),
      outcome({ conversation: true, schedule: true, right: true }),
    ]);
    expect(m.top1).toBe(1);
    expect(m.scheduleN).toBe(1);
    expect(m.conversationN).toBe(2);
    expect(m.conversationAccuracy).toBe(0.5);
  });
});

describe('eval scoring of small-talk intents', () => {
  const q = (expect: string[]): Question => ({
    text: 'x',
    lang: 'en',
    expect,
    source: 'conv-x.jsonl:1',
    conversation: true,
    before: [],
    followUp: false,
  });
  it('matches intent:goodbye to a small-talk bye, and intent:help to the help intent', () => {
    const reply = makeReply({ intent: 'smalltalk', kind: 'bye', lang: 'en', text: 'Goodbye' });
    expect(score(q(['intent:goodbye']), reply, 1).right).toBe(true);
    expect(score(q(['intent:thanks']), reply, 1).right).toBe(false);
    expect(score(q(['intent:help']), makeReply({ intent: 'help', lang: 'en', text: 'menu' }), 1).right).toBe(
      true,
    );
  });

  it('treats conv-*.jsonl files as conversation sets', () => {
    expect(isConversationFile('test/dev-set/conv-smalltalk.jsonl')).toBe(true);
    expect(isConversationFile('test/dev-set/faq-koban.jsonl')).toBe(false);
  });
});

describe('intent questions', () => {
  const q = (expect: string[]): Question => ({
    text: 't',
    lang: 'en',
    expect,
    source: 'x',
    conversation: false,
    before: [],
    followUp: false,
  });
  const reply = (intent: Reply['intent']): Reply => ({
    intent,
    lang: 'en',
    dir: 'ltr',
    text: '',
    notes: [],
    suggestions: [],
    buttons: [],
  });

  it('scores "intent:visit" and "not:visit" on the intent alone, outside the FAQ figures', () => {
    expect(score(q(['intent:visit']), reply('visit'), 1)).toMatchObject({ right: true, intent: true });
    expect(score(q(['intent:visit']), reply('faq'), 1)).toMatchObject({ right: false, intent: true });
    expect(score(q(['not:visit']), reply('faq'), 1)).toMatchObject({ right: true, intent: true });
    expect(score(q(['not:visit']), reply('visit'), 1)).toMatchObject({ right: false });
    expect(score(q(['koban-what-is']), reply('faq'), 1).intent).toBe(false);
    const m = summarize([
      outcome({ intent: true, right: true }),
      outcome({ intent: true, right: false }),
      outcome({ right: true, rank: 1 }),
    ]);
    expect(m.intentN).toBe(2);
    expect(m.intentAccuracy).toBe(0.5);
    expect(m.inScope).toBe(1);
    expect(m.top1).toBe(1);
  });
});

describe('follow-up items', () => {
  it('reads two-turn items and scores them in their own column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-set-'));
    writeFileSync(
      join(dir, 'follow-ups.jsonl'),
      `${JSON.stringify({ turns: [{ text: 'what is a koban?' }, { text: 'in Japanese please' }], lang: 'en', expect: ['koban-what-is'] })}\n`,
    );
    const [q] = readQuestionSet(dir);
    expect(q).toMatchObject({ text: 'in Japanese please', before: ['what is a koban?'], followUp: true });
    const right = makeReply({ intent: 'faq', entryId: 'koban-what-is', lang: 'ja', text: '…' });
    const wrong = makeReply({ intent: 'fallback', lang: 'en', text: '…' });
    if (!q) throw new Error('no item read');
    const m = summarize([score(q, right, 1), score(q, wrong, 1)]);
    expect(m).toMatchObject({ followUpN: 2, followUpAccuracy: 0.5, inScope: 0, conversationN: 0 });
  });

  it('refuses an item with both "text" and "turns"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'koban-set-'));
    writeFileSync(
      join(dir, 'bad.jsonl'),
      `${JSON.stringify({ text: 'x', turns: [{ text: 'a' }, { text: 'b' }], lang: 'en', expect: ['fallback'] })}\n`,
    );
    expect(() => readQuestionSet(dir)).toThrow(/bad.jsonl:1/);
  });
});
