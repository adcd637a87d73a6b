/**
 * Members of the Slack user groups named as coordinators (`slack-group:S0ABC` in
 * `KOBAN_COORDINATORS`), read with `usergroups.users.list` and cached for a few minutes. A failed
 * look-up is not cached and not guessed: the caller refuses the click and logs it.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { slackErrorCode } from './errors.js';

const membersSchema = z.object({ users: z.array(z.string().max(64)).max(100_000) });

export interface UserGroupOptions {
  /** How long a group's member list is trusted. */
  ttlMs?: number;
  now?: () => number;
}

export class SlackUserGroups {
  private readonly cache = new Map<string, { members: ReadonlySet<string>; until: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly groupIds: readonly string[],
    private readonly logger: Logger,
    options: UserGroupOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  get configured(): boolean {
    return this.groupIds.length > 0;
  }

  /** The configured groups `userId` belongs to, or undefined when Slack could not tell us. */
  async of(client: webApi.WebClient, userId: string): Promise<string[] | undefined> {
    const found: string[] = [];
    for (const group of this.groupIds) {
      const members = await this.members(client, group);
      if (!members) return undefined;
      if (members.has(userId)) found.push(group);
    }
    return found;
  }

  private async members(client: webApi.WebClient, group: string): Promise<ReadonlySet<string> | undefined> {
    const hit = this.cache.get(group);
    if (hit && hit.until > this.now()) return hit.members;
    try {
      const parsed = membersSchema.safeParse(await client.usergroups.users.list({ usergroup: group }));
      if (!parsed.success) {
        this.logger.error({ group, method: 'usergroups.users.list' }, 'slack: unexpected user group answer');
        return undefined;
      }
      const members = new Set(parsed.data.users);
      this.cache.set(group, { members, until: this.now() + this.ttlMs });
      return members;
    } catch (err) {
      this.logger.error(
        { code: slackErrorCode(err), group, method: 'usergroups.users.list' },
        'slack: could not read the members of a coordinator user group (scope usergroups:read?)',
      );
      return undefined;
    }
  }
}
