/** A reminder's text in one language, from the notice templates (`locales/<lang>/notices.json`). */
import type { Lang } from '../../core/languages.js';
import { makeReply, type Reply } from '../../core/reply.js';
import type { I18nService } from '../../i18n/i18n.js';
import { durationText, NoticeClock } from '../announcements/notices.js';
import { localized, type Session } from '../schedule/course-file.js';

export function reminderReply(
  session: Session,
  zone: string,
  offsetMinutes: number,
  lang: Lang,
  i18n: I18nService,
  personal = false,
): Reply {
  const t = i18n.t(lang, 'notices');
  const c = new NoticeClock(lang, zone);
  const lines = [
    t('reminder.starts', {
      session: localized(session.title, lang),
      in: durationText(offsetMinutes, lang),
      date: c.date(session.start),
      time: c.time(session.start),
    }),
  ];
  if (session.location) lines.push(t('reminder.place', { place: localized(session.location, lang) }));
  if (session.notes) lines.push(t('note', { note: localized(session.notes, lang) }));
  if (personal) lines.push(t('reminder.personal'));
  return makeReply({
    intent: 'announce',
    lang,
    title: t('title.reminder'),
    text: lines.join('\n'),
    kind: 'reminder',
  });
}
