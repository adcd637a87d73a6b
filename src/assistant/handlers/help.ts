import { AUTONYMS, LANGUAGES } from '../../core/languages.js';
import type { Reply, ReplyButton } from '../../core/reply.js';
import { PERSON_COMMAND } from '../../engines/handoff/handoff-service.js';
import { makeReply } from '../reply-builder.js';
import type { SmalltalkMatch } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';

/** Commands that open the menu, and the menu's "ask a question" button. */
const HELP_COMMANDS = new Set(['/help', '?', '/start', '/menu']);
export const ASK_COMMAND = '/ask';

function command(text: string): string {
  return text.trim().toLowerCase();
}

/** The menu: ask a question, my timetable, request a visit, language, talk to a person. */
function menu(turn: Turn): ReplyButton[] {
  const say = (text: string) => ({ type: 'say' as const, text });
  return [
    { label: turn.t('help.menu.ask'), action: say(ASK_COMMAND) },
    { label: turn.t('help.menu.timetable'), action: say(turn.t('help.menu.timetableText')) },
    { label: turn.t('help.menu.visit'), action: { type: 'visit' as const } },
    { label: turn.t('help.menu.language'), action: say('language') },
    { label: turn.t('help.menu.person'), action: say(PERSON_COMMAND) },
  ];
}

/** "What can you do?" in any wording (learned from knowledge/smalltalk/), with a short menu. */
export function helpHandler(smalltalk: (text: string) => SmalltalkMatch | undefined) {
  return {
    intent: 'help',
    match: (turn: Turn) =>
      HELP_COMMANDS.has(command(turn.text)) ||
      command(turn.text) === ASK_COMMAND ||
      smalltalk(turn.text)?.kind === 'help',
    handle(turn: Turn): Reply {
      if (command(turn.text) === ASK_COMMAND) {
        return makeReply({ intent: 'help', lang: turn.lang, text: turn.t('help.ask') });
      }
      const languages = LANGUAGES.map((l) => AUTONYMS[l]).join(', ');
      return makeReply({
        intent: 'help',
        lang: turn.lang,
        title: turn.t('help.title'),
        text: turn.t('help.text', { languages }),
        buttons: menu(turn),
      });
    },
  } satisfies IntentHandler;
}
