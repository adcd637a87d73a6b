import { describe, expect, it } from 'vitest';
import { warmUp } from '../../src/cli/warm-up.js';

const quiet = () => {
  const warnings: unknown[] = [];
  return { logger: { warn: (o: unknown) => warnings.push(o), debug: () => undefined }, warnings };
};

describe('the warm-up after ready (koban start)', () => {
  it('runs its steps in order, each in a macrotask of its own, so events in between are handled first', async () => {
    const order: string[] = [];
    const { logger } = quiet();
    const done = warmUp(
      [
        [
          'a',
          () => {
            order.push('a');
            // An event arriving while a step runs is handled before the next step starts.
            setImmediate(() => order.push('event'));
          },
        ],
        ['b', () => order.push('b')],
        ['c', () => order.push('c')],
      ],
      logger,
    );
    // Nothing runs before the caller's turn ends (ready is logged and the adapters listen first).
    expect(order).toEqual([]);
    await done;
    expect(order).toEqual(['a', 'event', 'b', 'c']);
  });

  it('logs a step that fails and runs the rest', async () => {
    const ran: string[] = [];
    const { logger, warnings } = quiet();
    await warmUp(
      [
        [
          'broken',
          () => {
            throw new Error('no prom-client');
          },
        ],
        ['next', () => ran.push('next')],
      ],
      logger,
    );
    expect(ran).toEqual(['next']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ step: 'broken' });
  });
});
