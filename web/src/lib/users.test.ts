import { describe, expect, it } from 'vitest';
import type { UserRow } from './api-types';
import { plantAccess, plantCodes, roleNames, sameIds, sortUsers } from './users';

describe('user shaping', () => {
  it('names roles, counting the ones the viewer cannot see', () => {
    const roles = [
      { id: 'r1', name: 'Operator' },
      { id: 'r2', name: 'Engineer' },
    ];
    expect(roleNames(['r1', 'r2'], roles)).toEqual(['Engineer', 'Operator']);
    expect(roleNames(['r1', 'rx'], roles)).toEqual(['Operator', '1 more role']);
    expect(roleNames(['rx', 'ry'], [])).toEqual(['2 more roles']);
  });

  it('gives plant codes, counting plants outside the viewer’s reach', () => {
    const plants = [
      { id: 'p1', code: 'RIV', name: 'Riverside' },
      { id: 'p2', code: 'LAK', name: 'Lakeside' },
    ];
    expect(plantCodes(['p1', 'p2'], plants)).toEqual(['LAK', 'RIV']);
    expect(plantCodes(['p1', 'p9'], plants)).toEqual(['RIV', '1 other plant']);
  });

  it('compares id lists as sets', () => {
    expect(sameIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameIds(['a'], ['a', 'b'])).toBe(false);
    expect(sameIds([], [])).toBe(true);
  });

  it('lists active users first, by name', () => {
    const user = (displayName: string, isActive: boolean) => ({ displayName, isActive }) as UserRow;
    expect(
      sortUsers([user('Zoe', true), user('Ann', false), user('Bob', true)]).map((u) => u.displayName),
    ).toEqual(['Bob', 'Zoe', 'Ann']);
  });
});

describe('plantAccess', () => {
  const plants = [{ id: 'p1', code: 'RIV', name: 'Riverside' }];

  it('says "All plants" when the cloud says a role grants every plant, whatever the explicit grants', () => {
    expect(plantAccess({ allPlants: true, plantIds: [] }, plants)).toBe('All plants');
    expect(plantAccess({ allPlants: true, plantIds: ['p1'] }, plants)).toBe('All plants');
  });

  it('lists the granted plants otherwise, or none', () => {
    expect(plantAccess({ allPlants: false, plantIds: ['p1'] }, plants)).toBe('RIV');
    expect(plantAccess({ allPlants: false, plantIds: ['p9'] }, plants)).toBe('1 other plant');
    expect(plantAccess({ allPlants: false, plantIds: [] }, plants)).toBe('None');
  });
});
