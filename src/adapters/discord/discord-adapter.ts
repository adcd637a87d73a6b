import type { Adapter } from '../../core/adapter.js';
import type { Runtime } from '../../main.js';

/** Placeholder until the Discord adapter lands: refuses to start with a clear message. */
export function createDiscordAdapter(_runtime: Runtime): Adapter {
  return {
    name: 'discord',
    start: () => Promise.reject(new Error('the Discord adapter is not available in this version')),
    stop: () => Promise.resolve(),
  };
}
