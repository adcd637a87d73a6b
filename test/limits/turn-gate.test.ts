import { describe, expect, it } from 'vitest';
import { TurnGate } from '../../src/limits/turn-gate.js';

/** A task that finishes when told to, recording when it started. */
function deferred(started: number[], id: number) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      started.push(id);
      await done;
      return id;
    },
    finish: () => finish(),
  };
}

describe('the turn gate', () => {
  it('works on at most its limit of messages at once and starts the waiting ones oldest first', async () => {
    const gate = new TurnGate(2);
    const started: number[] = [];
    const tasks = [1, 2, 3, 4, 5].map((id) => deferred(started, id));
    const results = tasks.map((t) => gate.run(t.task));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2]);
    expect(gate.queued).toBe(3);
    tasks[1]?.finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2, 3]);
    for (const t of tasks) t.finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const gate = new TurnGate(1);
    await expect(gate.run(() => Promise.reject(new Error('no answer')))).rejects.toThrow('no answer');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
