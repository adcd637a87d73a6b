/** `koban schedule list [--course ID]` and `koban schedule ics --course ID [--out FILE]`. */
import { writeFileSync } from 'node:fs';
import { DEFAULT_LANG, type Lang } from '../core/languages.js';
import { formatProblem } from '../engines/knowledge/problems.js';
import { type Course, loadSchedules, localized } from '../engines/schedule/course-file.js';
import { sessionsToIcs } from '../engines/schedule/ics.js';
import { parse, parseLangOption, UsageError } from './args.js';

function courses(dir: string, out: (s: string) => void): Course[] {
  const { courses: byFile, problems } = loadSchedules(dir);
  for (const p of problems.errors) out(formatProblem(p));
  return [...byFile.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function pick(all: Course[], id: string): Course {
  const course = all.find((c) => c.id === id);
  if (!course) {
    throw new UsageError(`no course "${id}"; known courses: ${all.map((c) => c.id).join(', ') || '(none)'}`);
  }
  return course;
}

function list(course: Course, lang: Lang, out: (s: string) => void): void {
  out(
    `${course.id}: ${localized(course.title, lang)} (${course.start} to ${course.end}, ${course.timezone})`,
  );
  let day = '';
  for (const s of course.sessions) {
    if (s.date !== day) {
      day = s.date;
      out(`\n${s.date} ${s.start.setLocale(lang === 'tl' ? 'fil' : lang).toFormat('cccc')}`);
    }
    const place = s.location ? `  @ ${localized(s.location, lang)}` : '';
    out(`  ${s.startTime}-${s.endTime}  ${s.id.padEnd(28)} ${localized(s.title, lang)}${place}`);
  }
}

/** Runs `koban schedule …`; returns the exit code. */
export function scheduleCli(argv: string[], dir: string | undefined, out: (s: string) => void): number {
  const [sub, ...more] = argv;
  const { values } = parse(more, {
    course: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
  });
  const knowledge = values.knowledge ?? dir ?? 'knowledge';
  const lang = parseLangOption(values.lang) ?? DEFAULT_LANG;
  const all = courses(knowledge, out);
  if (sub === 'list') {
    const chosen = values.course ? [pick(all, values.course)] : all;
    if (chosen.length === 0) out(`no course schedules in ${knowledge}/schedules`);
    chosen.forEach((c, i) => {
      if (i > 0) out('');
      list(c, lang, out);
    });
    return 0;
  }
  if (sub === 'ics') {
    if (!values.course) throw new UsageError('schedule ics needs --course ID');
    const course = pick(all, values.course);
    const ics = sessionsToIcs(course.sessions, lang, localized(course.title, lang), new Date());
    if (values.out) {
      writeFileSync(values.out, ics);
      out(`wrote ${course.sessions.length} sessions to ${values.out}`);
    } else process.stdout.write(ics);
    return 0;
  }
  throw new UsageError('schedule takes "list" or "ics"');
}
