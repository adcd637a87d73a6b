/**
 * Where announcements go: channels linked to courses (`KOBAN_CHANNEL_COURSES`) and their reader
 * languages (`KOBAN_CHANNEL_LANGUAGES=slack:C0123=id+en,discord:998877=vi`, first first).
 */
import { z } from 'zod';
import { isLang, LANGUAGES, type Lang } from '../../core/languages.js';
import { formatTarget, parseTarget, type TargetRef } from './target.js';

const ENTRY = /^((?:slack|discord):[^=\s:]+)=([a-z]{2}(?:\+[a-z]{2})*)$/;

export const channelLanguagesEntrySchema = z
  .string()
  .regex(ENTRY, { message: 'write each channel as slack:C0123=id+en or discord:998877=vi' })
  .refine((s) => (ENTRY.exec(s)?.[2] ?? '').split('+').every(isLang), {
    message: `languages must be among ${LANGUAGES.join(', ')}`,
  });

/** "slack:C0123" → its reader languages. Entries are already validated by the config. */
export function parseChannelLanguages(entries: readonly string[]): Map<string, Lang[]> {
  const out = new Map<string, Lang[]>();
  for (const entry of entries) {
    const m = ENTRY.exec(entry);
    if (!m?.[1] || !m[2]) continue;
    out.set(m[1], [...new Set(m[2].split('+').filter(isLang))]);
  }
  return out;
}

/** The channels the bot knows, with their course and reader languages. */
export class ChannelDirectory {
  constructor(
    /** "slack:C0123" → course id. */
    private readonly courses: ReadonlyMap<string, string>,
    /** "slack:C0123" → reader languages. */
    private readonly languages: ReadonlyMap<string, readonly Lang[]>,
  ) {}

  /** Every Slack or Discord channel named in either setting. */
  all(): TargetRef[] {
    return this.refs([...new Set([...this.courses.keys(), ...this.languages.keys()])]);
  }

  /** The channels linked to `courseId`. */
  ofCourse(courseId: string): TargetRef[] {
    return this.refs([...this.courses].filter(([, c]) => c === courseId).map(([k]) => k));
  }

  courseOf(target: TargetRef): string | undefined {
    return this.courses.get(formatTarget(target));
  }

  /** A channel's reader languages, or English when none are configured. */
  languagesOf(target: TargetRef): Lang[] {
    return [...(this.languages.get(formatTarget(target)) ?? ['en'])];
  }

  private refs(keys: string[]): TargetRef[] {
    return keys.map(parseTarget).filter((t): t is TargetRef => t !== undefined && t.kind === 'channel');
  }
}
