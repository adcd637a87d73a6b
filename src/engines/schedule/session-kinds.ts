/** The kinds of session a timetable knows (course files, reminder settings). */
export const SESSION_KINDS = [
  'lecture',
  'site-visit',
  'ceremony',
  'exam',
  'exercise',
  'break',
  'other',
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
