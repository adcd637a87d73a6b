/** "/course", "/course koban-seminar-2027", "my course is the koban seminar", in every language. */
import { LANGUAGES, type Lang } from '../../core/languages.js';
import { editDistance, typoBudget } from '../knowledge/fuzzy.js';
import type { Course } from './course-file.js';
import { cachedRegExp, fold, foldLetters } from './normalize.js';
import { SCHEDULE_WORDS } from './schedule-words.js';
import { contentWords } from './session-matcher.js';

export type CourseCommand =
  /** "/course": show the picker. */
  | { kind: 'pick' }
  /** A course was named; `explicit` when typed as a command (an unknown name then gets an answer). */
  | { kind: 'set'; input: string; explicit: boolean };

const SLASH = /^\/(?:course|kurs|kursus|khoa|kurso)\b\s*(.*)$/iu;

/** Recognises a course command in `text` (any of the eight languages). */
export function parseCourseCommand(text: string, lang: Lang): CourseCommand | undefined {
  const trimmed = text.trim().replace(/[.!?。！？]+$/u, '');
  const slash = SLASH.exec(trimmed);
  if (slash) {
    const arg = slash[1]?.trim() ?? '';
    return arg ? { kind: 'set', input: arg, explicit: true } : { kind: 'pick' };
  }
  const folded = foldLetters(trimmed).replace(/['’]/g, '').replace(/\s+/g, ' ');
  for (const re of setCoursePatterns(lang)) {
    const input = re.exec(folded)?.[1]?.trim();
    if (input) return { kind: 'set', input, explicit: false };
  }
  return undefined;
}

const patterns = new Map<Lang, RegExp[]>();

/** The "my course is …" patterns of `lang` and English, folded and compiled once. */
function setCoursePatterns(lang: Lang): RegExp[] {
  let list = patterns.get(lang);
  if (!list) {
    const langs: Lang[] = lang === 'en' ? ['en'] : [lang, 'en'];
    list = langs.flatMap((l) =>
      SCHEDULE_WORDS[l].setCourse.map((source) => cachedRegExp(foldLetters(source).replace(/['’]/g, ''))),
    );
    patterns.set(lang, list);
  }
  return list;
}

function names(course: Course): string[] {
  const out = [course.id, course.id.replace(/-/g, ' ')];
  for (const l of LANGUAGES) {
    const t = course.title[l];
    if (t) out.push(t);
    out.push(...(course.aliases[l] ?? []));
  }
  return out;
}

/** The course `input` names (id, title or alias in any language, small typos allowed), if exactly one. */
export function resolveCourse(input: string, courses: readonly Course[]): Course | undefined {
  const f = fold(input);
  const exact = courses.find((c) => names(c).some((n) => fold(n) === f));
  if (exact) return exact;
  const words = contentWords(input, 'en');
  if (words.length === 0) return undefined;
  const scored = courses.map((course) => {
    const vocab = new Set(
      names(course).flatMap((n) => [...contentWords(n, 'en'), ...fold(n).split(/[\s-]+/)]),
    );
    const hits = words.filter((w) =>
      [...vocab].some(
        (v) => v === w || (typoBudget(v) > 0 && editDistance(w, v, typoBudget(v)) <= typoBudget(v)),
      ),
    ).length;
    const contained = names(course).some((n) => fold(n).includes(f) && f.length >= 3);
    return { course, score: contained ? 1 : hits / words.length };
  });
  scored.sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score < 0.5 || (second && second.score === best.score)) return undefined;
  return best.course;
}
