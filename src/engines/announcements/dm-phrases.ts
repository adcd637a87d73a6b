/**
 * `knowledge/intents/announcements.yaml`: the words that ask for announcements by DM and the words
 * that stop them, in every language, validated with zod.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES } from '../../core/languages.js';
import { readYaml, type YamlReader } from '../knowledge/yaml-cache.js';
import { normalizePhrase, wholeWordPhrase } from '../visits/phrases.js';

const perLang = z.partialRecord(z.enum(LANGUAGES), z.array(z.string().trim().min(1)));

export const announcementPhrasesSchema = z.strictObject({ dm_on: perLang, dm_off: perLang });

function phrases(m: z.infer<typeof perLang>): string[] {
  return Object.values(m)
    .flat()
    .map(wholeWordPhrase)
    .filter((p) => p.trim() !== '');
}

export class AnnouncementPhrases {
  private readonly on: string[];
  private readonly off: string[];

  constructor(data: z.infer<typeof announcementPhrasesSchema>) {
    this.on = phrases(data.dm_on);
    this.off = phrases(data.dm_off);
  }

  static readonly empty = new AnnouncementPhrases({ dm_on: {}, dm_off: {} });

  /** 'off' for "stop sending me announcements by DM", 'on' for "send me announcements by DM". */
  dmRequest(text: string): 'on' | 'off' | undefined {
    const t = normalizePhrase(text);
    if (this.off.some((p) => t.includes(p))) return 'off';
    if (this.on.some((p) => t.includes(p))) return 'on';
    return undefined;
  }
}

export class AnnouncementPhrasesError extends Error {
  readonly code = 'ANNOUNCEMENT_PHRASES_INVALID';
}

/** Reads `<knowledge>/intents/announcements.yaml`; no file means no phrases (no DM opt-in by chat). */
export function readAnnouncementPhrases(
  knowledgeDir: string,
  yaml: YamlReader = readYaml,
): AnnouncementPhrases {
  const path = join(knowledgeDir, 'intents', 'announcements.yaml');
  if (!existsSync(path)) return AnnouncementPhrases.empty;
  let raw: unknown;
  try {
    raw = yaml(path);
  } catch (err) {
    throw new AnnouncementPhrasesError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = announcementPhrasesSchema.safeParse(raw);
  if (!parsed.success) throw new AnnouncementPhrasesError(`${path}: ${z.prettifyError(parsed.error)}`);
  return new AnnouncementPhrases(parsed.data);
}
