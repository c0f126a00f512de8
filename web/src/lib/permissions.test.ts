import { describe, expect, it } from 'vitest';
import { isCurrent, navigationFor } from './permissions';

describe('navigationFor', () => {
  it('shows an administrator every page', () => {
    const nav = navigationFor([
      'events.read',
      'users.read',
      'roles.read',
      'apikeys.manage',
      'devices.manage',
      'plants.read',
      'masterdata.read',
      'kpi.read',
    ]);
    expect(nav.map((s) => s.items.map((i) => i.href))).toEqual([
      ['/', '/board', '/events', '/orders'],
      [
        '/admin/users',
        '/admin/roles',
        '/admin/api-keys',
        '/admin/device-logins',
        '/admin/plants',
        '/admin/production',
      ],
    ]);
  });

  it('shows an executive viewer the overview, the KPI board and the plants', () => {
    const nav = navigationFor(['tenant.read', 'plants.read', 'plants.all', 'masterdata.read', 'kpi.read']);
    expect(nav).toEqual([
      {
        label: 'Plant floor',
        items: [
          { href: '/', label: 'Overview' },
          { href: '/board', label: 'KPI board' },
          { href: '/orders', label: 'Production orders' },
        ],
      },
      {
        label: 'Administration',
        items: [
          { href: '/admin/plants', label: 'Plants & lines' },
          { href: '/admin/production', label: 'Production master data' },
        ],
      },
    ]);
  });

  it('leaves out the administration section for an operator without it', () => {
    const nav = navigationFor(['events.read']);
    expect(nav.map((s) => s.label)).toEqual(['Plant floor']);
  });

  it('always keeps the overview', () => {
    expect(navigationFor([])).toEqual([{ label: 'Plant floor', items: [{ href: '/', label: 'Overview' }] }]);
  });
});

describe('isCurrent', () => {
  it.each([
    ['/', '/', true],
    ['/events', '/', false],
    ['/events', '/events', true],
    ['/admin/users/x', '/admin/users', true],
    ['/admin/users-old', '/admin/users', false],
  ])('%s under %s → %s', (path, href, expected) => {
    expect(isCurrent(path, href)).toBe(expected);
  });
});

describe('navigationFor, configuration', () => {
  it('shows the configuration pages to whoever reads definitions', () => {
    const nav = navigationFor(['config.read']);
    expect(nav.find((s) => s.label === 'Configuration')?.items.map((i) => i.href)).toEqual([
      '/config/records',
      '/config/fields',
      '/config/type-lists',
    ]);
  });
});
