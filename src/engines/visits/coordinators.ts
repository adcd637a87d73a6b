/**
 * Who may decide visit requests (`KOBAN_COORDINATORS`): platform users, Slack user groups and
 * Discord roles, e.g. `slack:U0123,discord:4567,slack-group:S0ABC,discord-role:Coordinators`.
 */
import { z } from 'zod';

const ENTRY = /^(slack|discord|cli|console|slack-group|discord-role):(.+)$/;

export const coordinatorEntrySchema = z.string().regex(ENTRY, {
  message: 'write each coordinator as slack:USERID, discord:USERID, slack-group:GROUPID or discord-role:ROLE',
});

export interface Actor {
  platform: string;
  userId: string;
  /** Slack user-group ids or Discord role ids and names the user has, when the platform told us. */
  groups?: readonly string[];
}

export class Coordinators {
  private readonly users = new Set<string>();
  private readonly groups = new Map<string, Set<string>>();
  /** Group ids as configured (Slack ids are case-sensitive in API calls), per platform. */
  private readonly groupNames = new Map<string, string[]>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const m = ENTRY.exec(entry);
      if (!m?.[1] || !m[2]) continue;
      const [kind, id] = [m[1], m[2]];
      if (kind === 'slack-group' || kind === 'discord-role') {
        const platform = kind === 'slack-group' ? 'slack' : 'discord';
        const set = this.groups.get(platform) ?? new Set<string>();
        set.add(id.toLowerCase());
        this.groups.set(platform, set);
        this.groupNames.set(platform, [...(this.groupNames.get(platform) ?? []), id]);
      } else this.users.add(`${kind}:${id}`);
    }
  }

  get configured(): boolean {
    return this.users.size > 0 || this.groups.size > 0;
  }

  /** The configured groups of one platform (`slack-group:` ids for `slack`), as written. */
  groupIds(platform: string): readonly string[] {
    return this.groupNames.get(platform) ?? [];
  }

  /** True when `actor` is a coordinator by user id alone (no group look-up needed). */
  isListedUser(actor: Actor): boolean {
    return this.users.has(`${actor.platform}:${actor.userId}`);
  }

  isCoordinator(actor: Actor): boolean {
    if (this.users.has(`${actor.platform}:${actor.userId}`)) return true;
    const groups = this.groups.get(actor.platform);
    return Boolean(groups && actor.groups?.some((g) => groups.has(g.toLowerCase())));
  }
}

/** "slack:U0123" → { platform, userId }; undefined when malformed. */
export function parseActor(s: string): Actor | undefined {
  const m = /^(slack|discord|cli|console):([^\s:]+)$/.exec(s.trim());
  return m?.[1] && m[2] ? { platform: m[1], userId: m[2] } : undefined;
}
