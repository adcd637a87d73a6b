/** Where one copy of an outgoing message goes, as text: "slack:C0123" or "discord:dm:4567". */
/** Where one copy goes: a channel, or a user's DM. */
export interface TargetRef {
  platform: 'slack' | 'discord';
  kind: 'channel' | 'dm';
  /** The channel id, or the user id for a DM. */
  id: string;
}

/** "slack:C0123" / "discord:dm:4567". */
export function formatTarget(t: TargetRef): string {
  return t.kind === 'dm' ? `${t.platform}:dm:${t.id}` : `${t.platform}:${t.id}`;
}

export function parseTarget(s: string): TargetRef | undefined {
  const m = /^(slack|discord):(?:(dm):)?([^\s:]+)$/.exec(s.trim());
  if (!m?.[1] || !m[3]) return undefined;
  return { platform: m[1] as TargetRef['platform'], kind: m[2] ? 'dm' : 'channel', id: m[3] };
}
