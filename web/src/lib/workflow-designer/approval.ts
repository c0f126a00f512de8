import type { Approval, ApprovalGroup } from '@plantline/schema/workflow';

/*
 * An approval as the designer shows it: a short summary on the transition's badge ("2 of Quality,
 * then Engineering") and hints beside a group that can never be satisfied. The rules themselves —
 * named users must all approve, `minimum` counts every approval in the group, `percent` is of the
 * role's members — are the definition schema's (approvalGroupSchema) and the engine's.
 */

export interface Names {
  roles: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, string>;
}

export function blankGroup(label = 'Approvers'): ApprovalGroup {
  return { label, users: [], minimum: 1 };
}

export function blankApproval(rejectTo: string): Approval {
  return { groups: [blankGroup()], order: 'parallel', excludeEditors: false, rejectTo };
}

function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** One group in a few words: "2 of Quality", "50% of MRB", "Ada Lovelace and 1 more of Quality". */
export function describeGroup(group: ApprovalGroup, names: Names): string {
  const role = group.role === undefined ? null : (names.roles.get(group.role) ?? group.role);
  const users = group.users.map((id) => names.users.get(id) ?? 'an unknown user');
  const minimum = group.minimum ?? (users.length === 0 ? 1 : users.length);
  const extra = Math.max(0, minimum - users.length);
  if (role !== null && group.percent !== undefined) {
    const share = `${group.percent}% of ${role}`;
    return users.length > 0 ? `${listed(users)}, and ${share}` : share;
  }
  if (role !== null) {
    if (users.length === 0) return `${minimum} of ${role}`;
    return extra > 0 ? `${listed(users)} and ${extra} more of ${role}` : `${listed(users)} (${role})`;
  }
  if (users.length === 0) return group.label;
  return extra > 0 ? `${listed(users)} and ${extra} more` : listed(users);
}

/** The whole approval: its groups joined by "and" (parallel) or "then" (in sequence). */
export function describeApproval(approval: Approval, names: Names): string {
  const parts = approval.groups.map((g) => {
    const who = describeGroup(g, names);
    return g.when === undefined ? who : `${who} (when it applies)`;
  });
  return parts.join(approval.order === 'sequence' ? ', then ' : ' and ');
}

/** Why a group can never be satisfied, or null; the cloud checks the rest when publishing. */
export function groupProblem(group: ApprovalGroup): string | null {
  if (group.role === undefined && group.users.length === 0) return 'Name a role or the users who vote.';
  if (group.percent !== undefined && group.role === undefined)
    return 'A percentage is of a role: choose one.';
  if (group.role === undefined && group.minimum !== undefined && group.minimum > group.users.length)
    return `Only ${group.users.length} named ${group.users.length === 1 ? 'user' : 'users'} can vote; the minimum of ${group.minimum} is never reached.`;
  return null;
}
