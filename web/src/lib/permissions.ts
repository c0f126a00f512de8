import type { Permission } from './api-types';

export interface NavItem {
  href: string;
  label: string;
}

export interface NavSection {
  label: string;
  items: NavItem[];
}

/** Who may see what: each entry is shown when the user holds any of its permissions. */
const sections: { label: string; items: (NavItem & { anyOf: Permission[] | 'signed-in' })[] }[] = [
  {
    label: 'Plant floor',
    items: [
      { href: '/', label: 'Overview', anyOf: 'signed-in' },
      { href: '/board', label: 'KPI board', anyOf: ['kpi.read'] },
      { href: '/events', label: 'Events', anyOf: ['events.read'] },
      { href: '/orders', label: 'Production orders', anyOf: ['masterdata.read'] },
    ],
  },
  {
    label: 'Administration',
    items: [
      { href: '/admin/users', label: 'Users', anyOf: ['users.read'] },
      { href: '/admin/roles', label: 'Roles', anyOf: ['roles.read'] },
      { href: '/admin/api-keys', label: 'API keys', anyOf: ['apikeys.manage'] },
      { href: '/admin/device-logins', label: 'Device logins', anyOf: ['devices.manage'] },
      { href: '/admin/plants', label: 'Plants & lines', anyOf: ['plants.read', 'masterdata.read'] },
      { href: '/admin/production', label: 'Production master data', anyOf: ['masterdata.read'] },
    ],
  },
  {
    label: 'Configuration',
    items: [
      { href: '/config/records', label: 'Records', anyOf: ['config.read'] },
      { href: '/config/fields', label: 'Custom fields', anyOf: ['config.read'] },
      { href: '/config/type-lists', label: 'Type lists', anyOf: ['config.read'] },
    ],
  },
];

/** The navigation a user with these permissions sees; empty sections are left out. */
export function navigationFor(permissions: readonly string[]): NavSection[] {
  const held = new Set(permissions);
  return sections
    .map(({ label, items }) => ({
      label,
      items: items
        .filter(({ anyOf }) => anyOf === 'signed-in' || anyOf.some((p) => held.has(p)))
        .map(({ href, label }) => ({ href, label })),
    }))
    .filter((section) => section.items.length > 0);
}

/** Whether `pathname` is `href` or a page below it ("/" only matches itself). */
export function isCurrent(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function holds(permissions: readonly string[], permission: Permission): boolean {
  return permissions.includes(permission);
}
