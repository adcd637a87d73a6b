/**
 * `knowledge/intents/reminders.yaml`: the words that ask for a personal reminder and the units of
 * "30 minutes" / "1時間" / "2 jam" in every language, validated with zod.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES } from '../../core/languages.js';
import { asciiDigits } from '../../core/text.js';
import { readYaml, type YamlReader } from '../knowledge/yaml-cache.js';
import { escapeRegExp } from '../schedule/normalize.js';
import { normalizePhrase } from '../visits/phrases.js';

const perLang = z.partialRecord(z.enum(LANGUAGES), z.array(z.string().trim().min(1)));

export const reminderPhrasesSchema = z.strictObject({
  ask: perLang,
  units: z.strictObject({ minutes: perLang, hours: perLang }),
  default_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});

/** Longest personal reminder: one week before. */
const MAX_MINUTES = 7 * 24 * 60;

export class ReminderPhrases {
  private readonly ask: string[];
  private readonly duration: RegExp;
  private readonly hourWords: Set<string>;
  readonly defaultMinutes: number;

  constructor(data: z.infer<typeof reminderPhrasesSchema>) {
    this.ask = Object.values(data.ask)
      .flat()
      .map((p) => normalizePhrase(p).trim())
      .filter(Boolean);
    const words = (m: z.infer<typeof perLang>) =>
      Object.values(m)
        .flat()
        .map((w) => w.normalize('NFKC').toLowerCase());
    const minutes = words(data.units.minutes);
    const hours = words(data.units.hours);
    this.hourWords = new Set(hours);
    const all = [...minutes, ...hours].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // A number, then a unit word (whole word for spaced scripts; "30分" and "2ชั่วโมง" need no space).
    this.duration = new RegExp(`(\\d+(?:[.,]\\d+)?)\\s*(${all.join('|')})(?![a-z])`, 'gu');
    this.defaultMinutes = data.default_minutes;
  }

  static readonly empty = new ReminderPhrases({
    ask: {},
    units: { minutes: {}, hours: {} },
    default_minutes: 30,
  });

  /** True when the message asks for a reminder. */
  asks(text: string): boolean {
    const t = normalizePhrase(text);
    return this.ask.some((p) => t.includes(p));
  }

  /**
   * The time before the session the message asks for, in minutes ("1 hour 30 minutes" → 90), the
   * default when none is given (`timed` false), or undefined when out of range. `rest` is the text without
   * the time and the asking words, for the session matcher.
   */
  parse(text: string): { minutes: number | undefined; timed: boolean; rest: string } {
    let t = asciiDigits(text.normalize('NFKC').toLowerCase());
    let total = 0;
    let found = false;
    t = t.replace(this.duration, (_all, n: string, unit: string) => {
      found = true;
      total += Number(n.replace(',', '.')) * (this.hourWords.has(unit) ? 60 : 1);
      return ' ';
    });
    let rest = normalizePhrase(t);
    for (const p of this.ask) rest = rest.split(p).join(' ');
    const minutes = found ? Math.round(total) : this.defaultMinutes;
    return {
      minutes: minutes >= 1 && minutes <= MAX_MINUTES ? minutes : undefined,
      timed: found,
      rest: rest.trim(),
    };
  }
}

export class ReminderPhrasesError extends Error {
  readonly code = 'REMINDER_PHRASES_INVALID';
}

/** Reads `<knowledge>/intents/reminders.yaml`; no file means no phrases (no personal reminders). */
export function readReminderPhrases(knowledgeDir: string, yaml: YamlReader = readYaml): ReminderPhrases {
  const path = join(knowledgeDir, 'intents', 'reminders.yaml');
  if (!existsSync(path)) return ReminderPhrases.empty;
  let raw: unknown;
  try {
    raw = yaml(path);
  } catch (err) {
    throw new ReminderPhrasesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = reminderPhrasesSchema.safeParse(raw);
  if (!parsed.success) throw new ReminderPhrasesError(`${path}: ${z.prettifyError(parsed.error)}`);
  return new ReminderPhrases(parsed.data);
}
