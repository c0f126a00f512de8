import type { RoleRow, SessionPlant, UserRow } from './api-types';

/** Names for a user's role ids; a role the viewer cannot list shows as "1 more role". */
export function roleNames(
  roleIds: readonly string[],
  roles: readonly Pick<RoleRow, 'id' | 'name'>[],
): string[] {
  const byId = new Map(roles.map((r) => [r.id, r.name]));
  const named = roleIds.flatMap((id) => {
    const name = byId.get(id);
    return name === undefined ? [] : [name];
  });
  const unknown = roleIds.length - named.length;
  const sorted = named.sort((a, b) => a.localeCompare(b));
  return unknown === 0 ? sorted : [...sorted, `${unknown} more role${unknown === 1 ? '' : 's'}`];
}

/** Codes for a user's plants, for the plants the viewer can see; others are counted. */
export function plantCodes(
  plantIds: readonly string[],
  plants: readonly Pick<SessionPlant, 'id' | 'code'>[],
): string[] {
  const byId = new Map(plants.map((p) => [p.id, p.code]));
  const codes = plantIds.flatMap((id) => {
    const code = byId.get(id);
    return code === undefined ? [] : [code];
  });
  const hidden = plantIds.length - codes.length;
  const sorted = codes.sort();
  return hidden === 0 ? sorted : [...sorted, `${hidden} other plant${hidden === 1 ? '' : 's'}`];
}

/** Whether two id lists hold the same ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}

/** Active users first, then by name. */
export function sortUsers(users: readonly UserRow[]): UserRow[] {
  return [...users].sort(
    (a, b) => Number(b.isActive) - Number(a.isActive) || a.displayName.localeCompare(b.displayName),
  );
}

/**
 * What a user's plant access amounts to: every plant when the cloud says so (`allPlants`: a role of
 * theirs holds `plants.all`, whatever their explicit grants — users.list decides, including for roles
 * the viewer cannot list), else the codes of their plants.
 */
export function plantAccess(
  user: Pick<UserRow, 'allPlants' | 'plantIds'>,
  plants: readonly Pick<SessionPlant, 'id' | 'code'>[],
): string {
  if (user.allPlants) return 'All plants';
  return plantCodes(user.plantIds, plants).join(', ') || 'None';
}
