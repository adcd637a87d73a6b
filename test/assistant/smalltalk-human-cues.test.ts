/**
 * A request for a person said at length or against the bot ("I need the course coordinator, not a
 * machine"): the key phrases of `human_cues` in knowledge/smalltalk/ (issue 14, s9), without turning
 * questions about a coordinator's contact details into hand-offs.
 */
import { describe, expect, it } from 'vitest';
import { SmalltalkMatcher } from '../../src/assistant/smalltalk-match.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const kb = loadKnowledge(REPO_KNOWLEDGE).knowledge;
if (!kb) throw new Error('the repository knowledge folder does not load');
const matcher = new SmalltalkMatcher(kb);

describe('requests for a person by key phrases', () => {
  it.each([
    'I need the course coordinator, not a machine',
    'this bot is useless, give me a coordinator',
    'saya mau bicara dengan koordinator, bukan bot',
    'tôi muốn nói chuyện với nhân viên, không phải máy',
    'ขอคุยกับเจ้าหน้าที่หน่อย ไม่เอาบอท',
    'gusto kong makausap ang coordinator hindi bot',
    'bot değil gerçek bir insanla konuşmak istiyorum',
    'میخوام با یک نفر صحبت کنم نه ربات',
    'ボットじゃなくて担当者と話したいです',
    // s13: chat forms (Finglish, "a person is better", "hand me to staff")
    'mikham ba ye adam harf bezanam',
    'ボットじゃなくて人がいい',
    'chuyển cho nhân viên đi',
    'ไม่เอาบอท ขอคนค่ะ',
  ])('%s → human', (text) => {
    expect(matcher.match(text)?.kind).toBe('human');
  });

  it.each([
    'how do I contact the course coordinator?',
    "what is the coordinator's email address?",
    'koordinatörün e-posta adresi nedir',
    'berapa orang yang boleh ikut kunjungan',
  ])('%s → no hand-off', (text) => {
    expect(matcher.match(text)?.kind).not.toBe('human');
  });

  it('keeps a thanks that mentions a coordinator a thanks', () => {
    expect(matcher.match('great thanks, will speak to a coordinator')?.kind).toBe('thanks');
  });
});

describe('asking whether a person is there (human_cues.presence, s10)', () => {
  it.each([
    'hello? anybody around?',
    'スタッフいますか？',
    'ada admin ga?',
    'có ai trực không ạ',
    'มีใครอยู่ไหมคะ',
    'may staff po ba ngayon',
    'orada kimse var mı acaba',
    'کسی اینجا هست؟',
  ])('%s → human', (text) => {
    expect(matcher.match(text)?.kind).toBe('human');
  });

  it('needs a short message: a question about people at the koban stays a question', () => {
    expect(
      matcher.match('is there anyone at the koban at night to help tourists with directions')?.kind,
    ).not.toBe('human');
  });
});
