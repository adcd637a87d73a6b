/**
 * Help and hand-off as people type them in chat (issue 14, s11): inflected forms the phrasings do
 * not hold read as the small-talk word they share a stem with ("kullanıyorum" for "kullanırım"),
 * and a Japanese request to ask a person directly ("に聞きたい") is a hand-off while asking ABOUT
 * something ("について聞きたい") stays a question. Forms written for this test, not from any set.
 */
import { describe, expect, it } from 'vitest';
import { SmalltalkMatcher } from '../../src/assistant/smalltalk-match.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const kb = loadKnowledge(REPO_KNOWLEDGE).knowledge;
if (!kb) throw new Error('the repository knowledge folder does not load');
const matcher = new SmalltalkMatcher(kb);

describe('help and hand-off in chat forms', () => {
  it.each([
    ['nasıl kullanıyorum bunu', 'help'],
    ['ban lam duoc gi', 'help'],
    ['ano magagawa mo', 'help'],
    ['スタッフに直接聞きたい', 'human'],
    ['担当者に直接聞けますか', 'human'],
  ] as const)('"%s" is %s', (text, kind) => {
    expect(matcher.match(text)?.kind).toBe(kind);
  });

  it.each(['寒い時の服装について聞きたいです', 'スタッフの人数について聞きたい', 'kullanım kılavuzu nerede'])(
    '"%s" is no request for help or a person',
    (text) => {
      const kind = matcher.match(text)?.kind;
      expect(kind === 'help' || kind === 'human').toBe(false);
    },
  );
});
