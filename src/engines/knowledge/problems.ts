/** A problem found in a knowledge file, printed as `file: what is wrong, what to do`. */
export interface Problem {
  file: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

/** Collects problems while loading, so validation reports all of them at once. */
export class ProblemList {
  readonly items: Problem[] = [];
  error(file: string, message: string): void {
    this.items.push({ file, message, severity: 'error' });
  }
  warn(file: string, message: string): void {
    this.items.push({ file, message, severity: 'warning' });
  }
  get errors(): Problem[] {
    return this.items.filter((p) => p.severity === 'error');
  }
}

/** Turns zod issues into one line each: `path: message`. */
export function zodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}
