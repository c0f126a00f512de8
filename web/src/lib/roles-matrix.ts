import type { Permission, PermissionInfo, RoleRow } from './api-types';

/** The permissions each role would hold after the edits made so far (role id → permissions). */
export type MatrixDraft = Record<string, Permission[]>;

/** The built-in Administrator always holds every permission; the API refuses to change it. */
export function isLocked(role: Pick<RoleRow, 'key' | 'builtin'>): boolean {
  return role.builtin && role.key === 'admin';
}

export function draftFrom(roles: readonly RoleRow[]): MatrixDraft {
  return Object.fromEntries(roles.map((role) => [role.id, [...role.permissions] as Permission[]]));
}

export function toggle(draft: MatrixDraft, roleId: string, permission: Permission, on: boolean): MatrixDraft {
  const current = draft[roleId] ?? [];
  const next = on
    ? current.includes(permission)
      ? current
      : [...current, permission]
    : current.filter((p) => p !== permission);
  return { ...draft, [roleId]: next };
}

/** The roles whose permissions differ from what is stored, with what to save for each. */
export function changedRoles(
  roles: readonly RoleRow[],
  draft: MatrixDraft,
): { id: string; name: string; permissions: Permission[] }[] {
  return roles.flatMap((role) => {
    if (isLocked(role)) return [];
    const wanted = draft[role.id];
    if (wanted === undefined) return [];
    const stored = new Set<string>(role.permissions);
    const same = wanted.length === stored.size && wanted.every((p) => stored.has(p));
    return same ? [] : [{ id: role.id, name: role.name, permissions: [...wanted].sort() }];
  });
}

/** The catalogue grouped by area, in catalogue order, for the matrix's row groups. */
export function permissionAreas(
  catalogue: readonly PermissionInfo[],
): { area: string; permissions: PermissionInfo[] }[] {
  const areas = new Map<string, PermissionInfo[]>();
  for (const info of catalogue) {
    const list = areas.get(info.area) ?? [];
    list.push(info);
    areas.set(info.area, list);
  }
  return [...areas].map(([area, permissions]) => ({ area, permissions }));
}

/** Built-in roles first (Administrator leading), then custom roles by name. */
export function roleOrder(roles: readonly RoleRow[]): RoleRow[] {
  const rank = (r: RoleRow) => (isLocked(r) ? 0 : r.builtin ? 1 : 2);
  return [...roles].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
