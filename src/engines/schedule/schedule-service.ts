/**
 * Holds the current course timetables and reloads them when the knowledge folder changes. A file
 * that turns invalid keeps its last good version serving; its problems are logged.
 */
import type { Logger } from '../../logger.js';
import { type GlossaryConcept, readGlossary } from '../knowledge/glossary.js';
import { formatProblem, type Problem } from '../knowledge/problems.js';
import { type Course, loadSchedules } from './course-file.js';
import { readSchedules, type ScheduleCacheLocation, saveSchedules } from './schedule-cache.js';
import { SessionIndex, type SessionNames } from './session-matcher.js';

/** Told after each reload with the courses before and after (reminders re-plan on it). */
export type ScheduleReloadListener = (before: readonly Course[], after: readonly Course[]) => void;

export class ScheduleService {
  private byFile = new Map<string, Course>();
  private sorted: Course[] = [];
  private sessionIndex = new SessionIndex([]);
  private readonly listeners = new Set<ScheduleReloadListener>();

  private glossary: GlossaryConcept[] = [];

  /** With `cache`, the first load comes from the saved timetables when fresh, and is saved when not. */
  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    cache?: ScheduleCacheLocation,
  ) {
    const saved = cache ? readSchedules(cache) : undefined;
    if (saved) {
      this.use(new Map(saved.courses), saved.glossary, saved.names);
      return;
    }
    const problems = this.reload();
    if (cache && !problems.some((p) => p.severity === 'error')) {
      if (
        !saveSchedules(cache, {
          courses: [...this.byFile],
          glossary: this.glossary,
          names: this.sessionIndex.names(),
        })
      )
        this.logger.warn(
          { cacheDir: cache.dir },
          'cannot save the timetables; the next start reads them again',
        );
    }
  }

  private use(byFile: Map<string, Course>, glossary: GlossaryConcept[], names?: SessionNames): void {
    this.byFile = byFile;
    this.sorted = [...byFile.values()].sort(
      (a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id),
    );
    this.glossary = glossary;
    this.sessionIndex = new SessionIndex(this.sorted, glossary, names);
  }

  /** Reloads every course file; returns the problems found (valid files are used either way). */
  reload(): Problem[] {
    const { courses, broken, problems } = loadSchedules(this.dir);
    const next = new Map(courses);
    for (const file of broken) {
      const previous = this.byFile.get(file);
      if (previous) next.set(file, previous);
    }
    const before = this.sorted;
    // The glossary's own problems are reported by the knowledge loader (kb validate).
    this.use(next, readGlossary(this.dir));
    if (problems.errors.length > 0) {
      this.logger.error(
        { problems: problems.errors.map(formatProblem) },
        'schedule files have errors; those files keep their last good version',
      );
    }
    this.logger.debug({ courses: this.sorted.map((c) => c.id) }, 'schedules loaded');
    for (const listener of this.listeners) {
      try {
        listener(before, this.sorted);
      } catch (err) {
        this.logger.error({ err }, 'a schedule reload listener failed');
      }
    }
    return problems.items;
  }

  /** Calls `listener` after every reload; returns the function that stops it. */
  onReload(listener: ScheduleReloadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every course, by start date. */
  get courses(): readonly Course[] {
    return this.sorted;
  }

  get index(): SessionIndex {
    return this.sessionIndex;
  }

  course(id: string): Course | undefined {
    return this.sorted.find((c) => c.id === id);
  }
}
