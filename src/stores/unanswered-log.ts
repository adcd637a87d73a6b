/** Questions the bot could not answer, one JSON object per line, for the coordinators to review. */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Lang } from '../core/languages.js';

export interface UnansweredQuestion {
  at: string;
  platform: string;
  user: string;
  lang: Lang;
  text: string;
  confidence: number;
  suggestions: string[];
}

export interface UnansweredLog {
  record(q: UnansweredQuestion): Promise<void>;
}

export class JsonlUnansweredLog implements UnansweredLog {
  private ready: Promise<unknown> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  record(q: UnansweredQuestion): Promise<void> {
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    // Writes are chained so concurrent turns never interleave half lines.
    this.queue = this.queue.then(async () => {
      await this.ready;
      await appendFile(this.path, `${JSON.stringify(q)}\n`, 'utf8');
    });
    return this.queue;
  }
}
