import type { Adapter } from '../../core/adapter.js';
import type { Runtime } from '../../main.js';

/** Placeholder until the Slack adapter lands: refuses to start with a clear message. */
export function createSlackAdapter(_runtime: Runtime): Adapter {
  return {
    name: 'slack',
    start: () => Promise.reject(new Error('the Slack adapter is not available in this version')),
    stop: () => Promise.resolve(),
  };
}
