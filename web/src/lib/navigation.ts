import type { Permission } from './api-types';

/*
 * The app's pages as data: the sidebar and the command palette both read this list, so a page added
 * here appears in both, in its group, only for users who may open it. A page is shown when the user
 * holds any of its permissions (the page itself checks the same ones: routes/(app)/require.ts).
 */

export const NAV_GROUPS = [
  { key: 'plant-floor', label: 'Plant floor' },
  { key: 'quality', label: 'Quality' },
  { key: 'logistics', label: 'Logistics' },
  { key: 'materials', label: 'Materials' },
  { key: 'reports', label: 'Reports' },
  { key: 'configuration', label: 'Configuration' },
  { key: 'administration', label: 'Administration' },
] as const;

export type NavGroupKey = (typeof NAV_GROUPS)[number]['key'];

export interface NavPage {
  readonly group: NavGroupKey;
  readonly label: string;
  readonly href: string;
  /** Shown to whoever holds one of these; 'signed-in' for every user. */
  readonly anyOf: readonly Permission[] | 'signed-in';
  /** Other words a user may type in the palette to find the page. */
  readonly keywords: readonly string[];
}

export const NAV_PAGES: readonly NavPage[] = [
  {
    group: 'plant-floor',
    label: 'Overview',
    href: '/',
    anyOf: 'signed-in',
    keywords: ['home', 'dashboard', 'start'],
  },
  {
    group: 'plant-floor',
    label: 'My tasks',
    href: '/tasks',
    anyOf: 'signed-in',
    keywords: ['inbox', 'approve', 'to do', 'overdue', 'delegations', 'away', 'deputy'],
  },
  {
    group: 'plant-floor',
    label: 'KPI board',
    href: '/board',
    anyOf: ['kpi.read'],
    keywords: ['oee', 'live', 'kiosk', 'andon', 'machines'],
  },
  {
    group: 'plant-floor',
    label: 'Dashboards',
    href: '/dashboards',
    anyOf: ['kpi.read'],
    keywords: ['dashboard', 'widgets', 'grid', 'kiosk', 'tv', 'plant manager', 'quality'],
  },
  {
    group: 'plant-floor',
    label: 'Events',
    href: '/events',
    anyOf: ['events.read'],
    keywords: ['state', 'count', 'scan', 'telemetry', 'history'],
  },
  {
    group: 'plant-floor',
    label: 'Production orders',
    href: '/orders',
    anyOf: ['masterdata.read'],
    keywords: ['work orders', 'jobs', 'planning'],
  },
  {
    group: 'quality',
    label: 'NCRs',
    href: '/quality/ncrs',
    anyOf: ['quality.read'],
    keywords: ['non-conformance', 'nonconformance', 'defects', 'disposition', 'mrb', 'quality'],
  },
  {
    group: 'quality',
    label: 'Inspections',
    href: '/quality/inspections',
    anyOf: ['quality.read'],
    keywords: ['inspection', 'failed', 'fpy', 'raise ncr'],
  },
  {
    group: 'quality',
    label: 'Change orders',
    href: '/change-orders',
    anyOf: ['changes.read'],
    keywords: ['eco', 'ecn', 'engineering change', 'revisions', 'change board'],
  },
  {
    group: 'logistics',
    label: 'Shipments',
    href: '/logistics/shipments',
    anyOf: ['logistics.read'],
    keywords: ['packing', 'scan', 'sscc', 'pallet', 'carton', 'backorder', 'tracking', 'dispatch'],
  },
  {
    group: 'logistics',
    label: 'Transfers',
    href: '/logistics/transfers',
    anyOf: ['logistics.read'],
    keywords: ['inter-plant', 'between plants', 'transit', 'receiving', 'receive', 'discrepancy', 'sscc'],
  },
  {
    group: 'logistics',
    label: 'Delivery requests',
    href: '/logistics/requests',
    anyOf: ['logistics.read'],
    keywords: ['orders', 'due', 'promise', 'promised date', 'customer po', 'otd'],
  },
  {
    group: 'logistics',
    label: 'Customers',
    href: '/logistics/customers',
    anyOf: ['logistics.read'],
    keywords: ['ship-to', 'addresses', 'gln', 'consignee'],
  },
  {
    group: 'materials',
    label: 'Materials',
    href: '/materials',
    anyOf: ['materials.read'],
    keywords: ['raw materials', 'lots', 'gtin', 'expiry', 'supplier lot'],
  },
  {
    group: 'materials',
    label: 'Stock by location',
    href: '/materials/stock',
    anyOf: ['inventory.read'],
    keywords: ['inventory', 'warehouse', 'bins', 'balance', 'as of', 'on hand'],
  },
  {
    group: 'materials',
    label: 'Movement history',
    href: '/materials/movements',
    anyOf: ['inventory.read'],
    keywords: ['ledger', 'receipts', 'transfers', 'consumption', 'stock moves'],
  },
  {
    group: 'materials',
    label: 'Consume scans',
    href: '/materials/scans',
    anyOf: ['inventory.read'],
    keywords: ['consumption', 'refused', 'wrong lot', 'blocked', 'line side', 'machine scans'],
  },
  {
    group: 'materials',
    label: 'Receive',
    href: '/materials/receive',
    anyOf: ['inventory.move'],
    keywords: ['goods receipt', 'gs1', 'scan label', 'incoming', 'dock'],
  },
  {
    group: 'materials',
    label: 'Move stock',
    href: '/materials/move',
    anyOf: ['inventory.move'],
    keywords: ['transfer', 'put away', 'scan location', 'bin'],
  },
  {
    group: 'logistics',
    label: 'Carriers',
    href: '/logistics/carriers',
    anyOf: ['logistics.read'],
    keywords: ['tracking', 'freight', 'forwarder'],
  },
  {
    group: 'logistics',
    label: 'On-time delivery',
    href: '/logistics/otd',
    anyOf: ['kpi.read'],
    keywords: ['otd', 'otif', 'in full', 'late deliveries', 'delivery performance', 'customers', 'promised'],
  },
  {
    group: 'logistics',
    label: 'Printers',
    href: '/logistics/printers',
    anyOf: ['logistics.manage'],
    keywords: ['labels', 'zebra', 'zpl', 'print log', 'reprints'],
  },
  {
    group: 'materials',
    label: 'BOMs',
    href: '/materials/boms',
    anyOf: ['materials.read'],
    keywords: ['bill of materials', 'bills of materials', 'recipe', 'components', 'scrap', 'backflush'],
  },
  {
    group: 'materials',
    label: 'Trace and recall',
    href: '/materials/trace',
    anyOf: ['materials.read'],
    keywords: ['lots', 'genealogy', 'traceability', 'recall', 'where used', 'supplier lot', 'batch'],
  },
  {
    group: 'reports',
    label: 'Reports',
    href: '/reports',
    anyOf: ['kpi.read', 'logistics.read', 'audit.read'],
    keywords: ['export', 'csv', 'xlsx', 'excel', 'pdf', 'oee', 'pareto', 'fpy', 'otd', 'extract'],
  },
  {
    group: 'reports',
    label: 'Report runs',
    href: '/reports/runs',
    anyOf: ['kpi.read', 'logistics.read', 'audit.read'],
    keywords: ['downloads', 'exports', 'progress'],
  },
  {
    group: 'configuration',
    label: 'Records',
    href: '/config/records',
    anyOf: ['config.read'],
    keywords: ['custom values', 'products', 'machines', 'lines'],
  },
  {
    group: 'configuration',
    label: 'Custom fields',
    href: '/config/fields',
    anyOf: ['config.read'],
    keywords: ['attributes', 'forms'],
  },
  {
    group: 'configuration',
    label: 'Type lists',
    href: '/config/type-lists',
    anyOf: ['config.read'],
    keywords: ['options', 'picklists', 'dropdowns', 'csv'],
  },
  {
    group: 'configuration',
    label: 'Workflows',
    href: '/admin/workflows',
    anyOf: ['workflows.manage'],
    keywords: ['approvals', 'signatures', 'states', 'transitions', 'process', 'designer', 'versions'],
  },
  {
    group: 'administration',
    label: 'Users',
    href: '/admin/users',
    anyOf: ['users.read'],
    keywords: ['accounts', 'people', 'plant access'],
  },
  {
    group: 'administration',
    label: 'Roles',
    href: '/admin/roles',
    anyOf: ['roles.read'],
    keywords: ['permissions', 'rights'],
  },
  {
    group: 'administration',
    label: 'API keys',
    href: '/admin/api-keys',
    anyOf: ['apikeys.manage'],
    keywords: ['edge', 'integrations', 'tokens'],
  },
  {
    group: 'administration',
    label: 'Device logins',
    href: '/admin/device-logins',
    anyOf: ['devices.manage'],
    keywords: ['mqtt', 'credentials', 'devices'],
  },
  {
    group: 'administration',
    label: 'Plants & lines',
    href: '/admin/plants',
    anyOf: ['plants.read', 'masterdata.read'],
    keywords: ['areas', 'machines', 'stations', 'sites', 'time zone'],
  },
  {
    group: 'administration',
    label: 'Production master data',
    href: '/admin/production',
    anyOf: ['masterdata.read'],
    keywords: ['products', 'cycle times', 'shifts', 'state codes', 'downtime reasons', 'planned downtime'],
  },
  {
    group: 'administration',
    label: 'Telemetry deadbands',
    href: '/admin/telemetry-deadbands',
    // Part of a machine's configuration: readers of master data see the rules, engineers change them.
    anyOf: ['masterdata.read'],
    keywords: ['edge', 'sensors', 'heartbeat', 'filter', 'readings'],
  },
  {
    group: 'administration',
    label: 'Sparkplug B rules',
    href: '/admin/sparkplug',
    // Part of a machine's configuration, as deadbands are: readers of master data see, engineers change.
    anyOf: ['masterdata.read'],
    keywords: ['edge', 'plc', 'gateway', 'birth', 'metrics', 'mapping'],
  },
  {
    group: 'administration',
    label: 'Audit trail',
    href: '/admin/audit',
    anyOf: ['audit.read'],
    keywords: ['history', 'changes', 'log', 'compliance', 'verify', 'checkpoints', 'part 11'],
  },
  {
    group: 'administration',
    label: 'Settings',
    href: '/admin/settings',
    // Everyone who may see the tenant may read its settings; only tenant.manage changes them.
    anyOf: ['tenant.read'],
    keywords: ['tenant', 'audit trail', 'reason for change', 'retention', 'notifications', 'email', 'digest'],
  },
];

export interface NavSection {
  readonly key: NavGroupKey;
  readonly label: string;
  readonly pages: readonly NavPage[];
}

/** The pages a user with these permissions may open, in the list's order. */
export function pagesFor(permissions: readonly string[], pages: readonly NavPage[] = NAV_PAGES): NavPage[] {
  const held = new Set(permissions);
  return pages.filter(({ anyOf }) => anyOf === 'signed-in' || anyOf.some((p) => held.has(p)));
}

/** The sidebar: the groups in their fixed order, each with the user's pages; empty groups left out. */
export function navigationFor(
  permissions: readonly string[],
  pages: readonly NavPage[] = NAV_PAGES,
): NavSection[] {
  const visible = pagesFor(permissions, pages);
  return NAV_GROUPS.map(({ key, label }) => ({
    key,
    label,
    pages: visible.filter((p) => p.group === key),
  })).filter((section) => section.pages.length > 0);
}

/** Whether `pathname` is `href` or a page below it ("/" only matches itself). */
export function isCurrent(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The page to mark as current: the one with the longest matching href, if any. */
export function currentHref(pathname: string, pages: readonly NavPage[]): string | null {
  let best: string | null = null;
  for (const { href } of pages)
    if (isCurrent(pathname, href) && (best === null || href.length > best.length)) best = href;
  return best;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * How well a typed text names a page, higher is better, 0 for no match: the label starting with it,
 * then a word of the label, then a keyword, then the group, then the text anywhere in the label.
 * Every typed word has to match something.
 */
export function pageScore(query: string, page: NavPage, groupLabel: string): number {
  const wanted = words(query);
  if (wanted.length === 0) return 0;
  const label = page.label.toLowerCase();
  const labelWords = words(page.label);
  const keywordWords = page.keywords.flatMap(words);
  const groupWords = words(groupLabel);
  let score = 0;
  for (const word of wanted) {
    if (labelWords.some((w) => w.startsWith(word))) score += 3;
    else if (keywordWords.some((w) => w.startsWith(word))) score += 2;
    else if (groupWords.some((w) => w.startsWith(word))) score += 1;
    else if (label.includes(word)) score += 1;
    else return 0;
  }
  return label.startsWith(query.trim().toLowerCase()) ? score + 4 : score;
}

const groupLabels = new Map<string, string>(NAV_GROUPS.map((g) => [g.key, g.label]));

export function groupLabel(key: NavGroupKey): string {
  return groupLabels.get(key) ?? key;
}

/** The pages matching a typed text, best first (list order among equals); all pages for no text. */
export function matchPages(query: string, pages: readonly NavPage[]): NavPage[] {
  if (words(query).length === 0) return [...pages];
  return pages
    .map((page, index) => ({ page, index, score: pageScore(query, page, groupLabel(page.group)) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((m) => m.page);
}
