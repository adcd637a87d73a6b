import { AUTONYMS, LANGUAGES } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';

/** Words that ask for help on their own, in each language (lowercase). */
const HELP_WORDS = new Set([
  'help',
  '/help',
  '?',
  'menu',
  'commands',
  'what can you do',
  'what can i ask',
  'start',
  '/start',
  'ヘルプ',
  '助けて',
  '使い方',
  'ヘルプを見せて',
  'へるぷ',
  'bantuan',
  'tolong',
  'menu bantuan',
  'bisa apa',
  'trợ giúp',
  'giúp',
  'giúp đỡ',
  'hướng dẫn',
  'tro giup',
  'huong dan',
  'ช่วยเหลือ',
  'ช่วยด้วย',
  'วิธีใช้',
  'tulong',
  'saklolo',
  'gabay',
  'yardım',
  'yardim',
  'komutlar',
  'راهنما',
  'کمک',
  'راهنمایی',
]);

export function isHelpRequest(text: string): boolean {
  return HELP_WORDS.has(
    text
      .trim()
      .toLowerCase()
      .replace(/[!?.。！？]+$/u, '') || text.trim(),
  );
}

export const helpHandler = {
  intent: 'help',
  match: (turn: Turn) => isHelpRequest(turn.text),
  handle(turn: Turn): Reply {
    const languages = LANGUAGES.map((l) => AUTONYMS[l]).join(', ');
    return makeReply({
      intent: 'help',
      lang: turn.lang,
      title: turn.t('help.title'),
      text: turn.t('help.text', { languages }),
    });
  },
} satisfies IntentHandler;
