import { describe, expect, it } from 'vitest';
import {
  currentHref,
  isCurrent,
  matchPages,
  NAV_GROUPS,
  NAV_PAGES,
  type NavPage,
  navigationFor,
  pagesFor,
} from './navigation';

const ADMIN = [
  'tenant.read',
  'events.read',
  'users.read',
  'roles.read',
  'apikeys.manage',
  'devices.manage',
  'plants.read',
  'masterdata.read',
  'kpi.read',
  'config.read',
  'audit.read',
];

describe('navigationFor', () => {
  it('shows an administrator every page, grouped, and hides the groups without pages', () => {
    const nav = navigationFor(ADMIN);
    expect(nav.map((s) => [s.label, s.pages.map((p) => p.href)])).toEqual([
      ['Plant floor', ['/', '/tasks', '/board', '/dashboards', '/events', '/orders']],
      ['Logistics', ['/logistics/otd']],
      ['Reports', ['/reports', '/reports/runs']],
      ['Configuration', ['/config/records', '/config/fields', '/config/type-lists']],
      [
        'Administration',
        [
          '/admin/users',
          '/admin/roles',
          '/admin/api-keys',
          '/admin/device-logins',
          '/admin/plants',
          '/admin/production',
          '/admin/telemetry-deadbands',
          '/admin/sparkplug',
          '/admin/audit',
          '/admin/settings',
        ],
      ],
    ]);
  });

  it('shows an executive viewer the overview, the KPI board, dashboards, reports and the plants', () => {
    const nav = navigationFor(['tenant.read', 'plants.read', 'plants.all', 'masterdata.read', 'kpi.read']);
    expect(nav.map((s) => [s.key, s.pages.map((p) => p.label)])).toEqual([
      ['plant-floor', ['Overview', 'My tasks', 'KPI board', 'Dashboards', 'Production orders']],
      ['logistics', ['On-time delivery']],
      ['reports', ['Reports', 'Report runs']],
      [
        'administration',
        ['Plants & lines', 'Production master data', 'Telemetry deadbands', 'Sparkplug B rules', 'Settings'],
      ],
    ]);
  });

  it('offers the workflow designer to whoever manages workflows, with configuration', () => {
    const nav = navigationFor(['config.read', 'workflows.manage']);
    expect(nav.find((s) => s.key === 'configuration')?.pages.map((p) => p.label)).toEqual([
      'Records',
      'Custom fields',
      'Type lists',
      'Workflows',
    ]);
    expect(matchPages('approvals', pagesFor(['workflows.manage']))[0]?.href).toBe('/admin/workflows');
  });

  it('offers a planner the logistics pages, and finds them by what planners call them', () => {
    const nav = navigationFor(['logistics.read', 'logistics.manage']);
    expect(nav.find((s) => s.key === 'logistics')?.pages.map((p) => p.href)).toEqual([
      '/logistics/shipments',
      '/logistics/transfers',
      '/logistics/requests',
      '/logistics/customers',
      '/logistics/carriers',
      '/logistics/printers',
    ]);
    expect(matchPages('ship-to', pagesFor(['logistics.read']))[0]?.href).toBe('/logistics/customers');
    expect(matchPages('promise', pagesFor(['logistics.read']))[0]?.href).toBe('/logistics/requests');
    expect(matchPages('between plants', pagesFor(['logistics.read']))[0]?.href).toBe('/logistics/transfers');
    expect(navigationFor(['events.read']).some((s) => s.key === 'logistics')).toBe(false);
  });

  it('offers reports to whoever reads data a report shows, and finds them by format', () => {
    expect(
      navigationFor(['audit.read'])
        .find((s) => s.key === 'reports')
        ?.pages.map((p) => p.href),
    ).toEqual(['/reports', '/reports/runs']);
    expect(navigationFor(['events.read']).some((s) => s.key === 'reports')).toBe(false);
    expect(matchPages('xlsx', pagesFor(['kpi.read']))[0]?.href).toBe('/reports');
  });

  it('leaves out administration for an operator without it', () => {
    expect(navigationFor(['events.read']).map((s) => s.label)).toEqual(['Plant floor']);
  });

  it('always keeps the overview and the user’s tasks', () => {
    expect(navigationFor([]).map((s) => s.pages.map((p) => p.href))).toEqual([['/', '/tasks']]);
  });

  it('puts a page in its group, in the fixed group order, once a group has one', () => {
    const extra: NavPage[] = [
      ...NAV_PAGES,
      { group: 'reports', label: 'Reports', href: '/reports', anyOf: ['kpi.read'], keywords: [] },
      { group: 'quality', label: 'NCRs', href: '/quality/ncrs', anyOf: ['quality.read'], keywords: [] },
    ];
    expect(navigationFor(['quality.read', 'kpi.read'], extra).map((s) => s.label)).toEqual([
      'Plant floor',
      'Quality',
      'Logistics',
      'Reports',
    ]);
  });

  it('gives every page a group that exists and a unique href', () => {
    const groups = new Set<string>(NAV_GROUPS.map((g) => g.key));
    expect(NAV_PAGES.every((p) => groups.has(p.group))).toBe(true);
    expect(new Set(NAV_PAGES.map((p) => p.href)).size).toBe(NAV_PAGES.length);
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

describe('currentHref', () => {
  const pages = pagesFor(ADMIN);
  it('marks the page a path is on, or below', () => {
    expect(currentHref('/', pages)).toBe('/');
    expect(currentHref('/config/records/product/123', pages)).toBe('/config/records');
    expect(currentHref('/admin/users', pages)).toBe('/admin/users');
  });

  it('marks nothing on a page outside the navigation', () => {
    expect(currentHref('/machines/123', pages)).toBeNull();
  });
});

describe('matchPages', () => {
  const pages = pagesFor(ADMIN);
  const hrefs = (query: string) => matchPages(query, pages).map((p) => p.href);

  it('finds a page by the start of its label, best first', () => {
    expect(hrefs('users')[0]).toBe('/admin/users');
    expect(hrefs('prod')).toEqual(['/orders', '/admin/production', '/config/records']);
  });

  it('finds a page by a keyword or its group', () => {
    expect(hrefs('shifts')).toEqual(['/admin/production']);
    expect(hrefs('mqtt')).toEqual(['/admin/device-logins']);
    expect(hrefs('heartbeat')).toEqual(['/admin/telemetry-deadbands']);
    expect(hrefs('plc')).toEqual(['/admin/sparkplug']);
    expect(hrefs('administration')).toContain('/admin/roles');
  });

  it('needs every typed word to match', () => {
    expect(hrefs('type lists')).toEqual(['/config/type-lists']);
    expect(hrefs('type users')).toEqual([]);
  });

  it('offers every page for no text, and nothing the user may not open', () => {
    expect(hrefs('  ')).toHaveLength(pages.length);
    expect(matchPages('users', pagesFor(['events.read']))).toEqual([]);
  });
});
