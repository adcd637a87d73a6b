import type { Platform } from './message.js';
import type { Reply } from './reply.js';

/**
 * What outgoing work (visit notices, later announcements) asks of a platform: post a neutral
 * `Reply` in a channel or to one user privately. Each adapter offers one while it runs.
 */
export interface Sender {
  readonly platform: Platform;
  post(channel: string, reply: Reply): Promise<void>;
  dm(userId: string, reply: Reply): Promise<void>;
}
