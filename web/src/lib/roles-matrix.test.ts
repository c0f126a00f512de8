import { describe, expect, it } from 'vitest';
import type { PermissionInfo, RoleRow } from './api-types';
import { changedRoles, draftFrom, isLocked, permissionAreas, roleOrder, toggle } from './roles-matrix';

const roles: RoleRow[] = [
  {
    id: 'r-op',
    key: 'operator',
    name: 'Operator',
    description: '',
    builtin: true,
    permissions: ['events.read'],
  },
  {
    id: 'r-admin',
    key: 'admin',
    name: 'Administrator',
    description: '',
    builtin: true,
    permissions: ['events.read', 'users.read'],
  },
  { id: 'r-qa', key: 'qa-lead', name: 'QA lead', description: '', builtin: false, permissions: [] },
];

describe('the permission matrix', () => {
  it('locks only the built-in Administrator', () => {
    expect(roles.map(isLocked)).toEqual([false, true, false]);
    expect(isLocked({ key: 'admin', builtin: false })).toBe(false);
  });

  it('reports no change until a box differs from what is stored', () => {
    const draft = draftFrom(roles);
    expect(changedRoles(roles, draft)).toEqual([]);
    const on = toggle(draft, 'r-op', 'users.read', true);
    const back = toggle(on, 'r-op', 'users.read', false);
    expect(changedRoles(roles, back)).toEqual([]);
  });

  it('lists each changed role with its sorted permissions', () => {
    let draft = draftFrom(roles);
    draft = toggle(draft, 'r-qa', 'users.read', true);
    draft = toggle(draft, 'r-qa', 'events.read', true);
    draft = toggle(draft, 'r-qa', 'events.read', true);
    draft = toggle(draft, 'r-op', 'events.read', false);
    expect(changedRoles(roles, draft)).toEqual([
      { id: 'r-op', name: 'Operator', permissions: [] },
      { id: 'r-qa', name: 'QA lead', permissions: ['events.read', 'users.read'] },
    ]);
  });

  it('never saves the Administrator', () => {
    const draft = toggle(draftFrom(roles), 'r-admin', 'users.read', false);
    expect(changedRoles(roles, draft)).toEqual([]);
  });

  it('groups the catalogue by area in order', () => {
    const catalogue = [
      { key: 'users.read', area: 'users', description: '' },
      { key: 'roles.read', area: 'roles', description: '' },
      { key: 'users.manage', area: 'users', description: '' },
    ] as unknown as PermissionInfo[];
    expect(permissionAreas(catalogue).map((a) => [a.area, a.permissions.map((p) => p.key)])).toEqual([
      ['users', ['users.read', 'users.manage']],
      ['roles', ['roles.read']],
    ]);
  });

  it('orders Administrator, then built-in, then custom roles', () => {
    expect(roleOrder(roles).map((r) => r.key)).toEqual(['admin', 'operator', 'qa-lead']);
  });
});
