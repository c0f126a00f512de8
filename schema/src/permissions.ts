import { z } from 'zod';

/*
 * The permission catalogue. It is data: the migrator copies it into the `permissions` table so
 * role_permissions can reference it, and every tRPC procedure names one of these keys (or an
 * explicit public / signed-in marker) in its metadata. New domains add their keys here.
 */
export const permissionCatalogue = [
  { key: 'tenant.read', area: 'tenant', description: 'See the tenant and its settings' },
  { key: 'tenant.manage', area: 'tenant', description: 'Change tenant settings' },
  { key: 'plants.read', area: 'plants', description: 'See plants the user has access to' },
  { key: 'plants.manage', area: 'plants', description: 'Create and edit plants' },
  {
    key: 'plants.all',
    area: 'plants',
    description: 'Access every plant of the tenant without an explicit grant',
  },
  { key: 'users.read', area: 'users', description: 'See users, their roles and plant access' },
  {
    key: 'users.manage',
    area: 'users',
    description: 'Create, edit and deactivate users; assign roles and plant access',
  },
  { key: 'roles.read', area: 'roles', description: 'See roles and their permissions' },
  { key: 'roles.manage', area: 'roles', description: 'Create, edit and delete roles and their permissions' },
  {
    key: 'apikeys.manage',
    area: 'api keys',
    description: 'Create, list and revoke API keys for edge nodes and integrations',
  },
  {
    key: 'devices.manage',
    area: 'devices',
    description: 'Create, list and revoke the MQTT logins devices use on the edges of their plants',
  },
  { key: 'ingest.write', area: 'ingest', description: 'Send plant events to the cloud (edge nodes)' },
  { key: 'events.read', area: 'events', description: 'Read machine, count, scan and telemetry events' },
  {
    key: 'masterdata.read',
    area: 'master data',
    description: 'See lines, machines, products, shifts and state mappings',
  },
  {
    key: 'masterdata.manage',
    area: 'master data',
    description: 'Edit lines, machines, products, shifts and state mappings',
  },
  { key: 'kpi.read', area: 'kpi', description: 'See KPI boards, OEE, FPY and OTD' },
  {
    key: 'production.operate',
    area: 'production',
    description: 'Record production: counts, downtime reasons, scans',
  },
  { key: 'quality.read', area: 'quality', description: 'See inspections, defects and NCRs' },
  {
    key: 'quality.inspect',
    area: 'quality',
    description: 'Record inspections, their results and re-inspections after rework',
  },
  {
    key: 'quality.manage',
    area: 'quality',
    description: 'Define defect codes and inspection plans; raise and disposition NCRs',
  },
  {
    key: 'ncrs.raise',
    area: 'quality',
    description: 'Raise non-conformance reports and edit them while their workflow allows',
  },
  { key: 'changes.read', area: 'engineering changes', description: 'See engineering change orders' },
  {
    key: 'changes.manage',
    area: 'engineering changes',
    description: 'Raise and edit engineering change orders',
  },
  {
    key: 'config.read',
    area: 'configuration',
    description: 'See custom field definitions, type lists and numbering schemes (forms need them)',
  },
  {
    key: 'fields.fill',
    area: 'configuration',
    description: 'Fill in custom field values of the records the user can see',
  },
  {
    key: 'config.manage',
    area: 'configuration',
    description: 'Define custom fields, type lists and numbering',
  },
  {
    key: 'logistics.read',
    area: 'logistics',
    description: 'See customers, shipments, transfers, labels and delivery performance',
  },
  {
    key: 'logistics.pack',
    area: 'logistics',
    description: 'Pick, pack and ship by scanning, print labels, receive transfers',
  },
  {
    key: 'logistics.manage',
    area: 'logistics',
    description: 'Maintain customers, carriers and label templates; plan shipments and transfers',
  },
  {
    key: 'materials.read',
    area: 'materials',
    description: 'See materials, units, inventory locations, lots and serial numbers',
  },
  {
    key: 'materials.manage',
    area: 'materials',
    description: 'Maintain materials, units, inventory locations, lots and serial numbers; block lots',
  },
  {
    key: 'boms.manage',
    area: 'materials',
    description: 'Maintain bills of materials and release their versions',
  },
  { key: 'inventory.read', area: 'inventory', description: 'See stock balances and the movement ledger' },
  {
    key: 'inventory.move',
    area: 'inventory',
    description: 'Record receipts, issues, transfers, adjustments and reversals of stock',
  },
  { key: 'workflows.manage', area: 'workflows', description: 'Define approval workflows' },
  { key: 'approvals.decide', area: 'workflows', description: 'Approve or reject workflow steps' },
  {
    key: 'audit.read',
    area: 'audit',
    description: 'Read the audit trail, verify its hash chain and export signed checkpoints',
  },
  {
    key: 'reports.manage',
    area: 'reports',
    description: "Copy the shipped reports and adjust the copies' columns, grouping and filters",
  },
  {
    key: 'reports.schedule',
    area: 'reports',
    description: 'Schedule reports and choose who receives them',
  },
  {
    key: 'dashboards.manage',
    area: 'dashboards',
    description: 'Create dashboards shared with roles and edit shared dashboards',
  },
] as const satisfies readonly { key: string; area: string; description: string }[];

export type Permission = (typeof permissionCatalogue)[number]['key'];

export const allPermissions: readonly Permission[] = permissionCatalogue.map((p) => p.key);

/** A permission key at an API boundary. */
export const permissionSchema = z.enum(allPermissions as [Permission, ...Permission[]], {
  error: (issue) => `Unknown permission ${String(issue.input)}`,
});

const permissionSet = new Set<string>(allPermissions);
export function isPermission(value: string): value is Permission {
  return permissionSet.has(value);
}

/**
 * The built-in roles every tenant starts with. Their permissions are editable per tenant,
 * except `admin`, which always holds the whole catalogue so a tenant can never lock itself out.
 */
export const builtinRoles = [
  {
    key: 'admin',
    name: 'Administrator',
    description: 'Everything, including users, roles and API keys',
    permissions: allPermissions,
  },
  {
    key: 'engineer',
    name: 'Engineer',
    description: 'Configures master data, fields, type lists and workflows',
    permissions: [
      'tenant.read',
      'plants.read',
      'users.read',
      'roles.read',
      'events.read',
      'masterdata.read',
      'masterdata.manage',
      'kpi.read',
      'config.read',
      'config.manage',
      'fields.fill',
      'workflows.manage',
      'quality.read',
      'changes.read',
      'changes.manage',
      'approvals.decide',
      'logistics.read',
      'reports.manage',
      'reports.schedule',
      'dashboards.manage',
      'materials.read',
      'inventory.read',
      'materials.manage',
      'boms.manage',
    ],
  },
  {
    key: 'supervisor',
    name: 'Supervisor',
    description: 'Runs shifts: sees KPIs and events, records production, approves',
    permissions: [
      'tenant.read',
      'plants.read',
      'users.read',
      'events.read',
      'masterdata.read',
      'config.read',
      'fields.fill',
      'kpi.read',
      'production.operate',
      'quality.read',
      'quality.inspect',
      'approvals.decide',
      'ncrs.raise',
      'changes.read',
      'logistics.read',
      'logistics.pack',
      'reports.schedule',
      'dashboards.manage',
      'materials.read',
      'inventory.read',
      'inventory.move',
    ],
  },
  {
    key: 'operator',
    name: 'Operator',
    description: 'Records production at the line',
    permissions: [
      'tenant.read',
      'plants.read',
      'events.read',
      'masterdata.read',
      'config.read',
      'fields.fill',
      'kpi.read',
      'production.operate',
      'quality.inspect',
      'quality.read',
      'ncrs.raise',
      'logistics.read',
      'logistics.pack',
      'materials.read',
      'inventory.read',
      'inventory.move',
    ],
  },
  {
    key: 'quality',
    name: 'Quality',
    description: 'Inspections, defects and NCRs',
    permissions: [
      'tenant.read',
      'plants.read',
      'events.read',
      'masterdata.read',
      'config.read',
      'fields.fill',
      'kpi.read',
      'quality.read',
      'quality.inspect',
      'quality.manage',
      'approvals.decide',
      'ncrs.raise',
      'changes.read',
      'logistics.read',
      'reports.schedule',
      'materials.read',
      'inventory.read',
    ],
  },
  {
    key: 'executive',
    name: 'Executive viewer',
    description: 'Read-only KPI boards across plants',
    // Master data and quality records name what the boards show (machines, shifts, products).
    permissions: [
      'tenant.read',
      'plants.read',
      'plants.all',
      'masterdata.read',
      'config.read',
      'kpi.read',
      'quality.read',
      'changes.read',
      'logistics.read',
      'reports.schedule',
      'materials.read',
      'inventory.read',
    ],
  },
  {
    key: 'planner',
    name: 'Planner',
    description: 'Plans production orders, shipments and transfers; follows delivery performance',
    permissions: [
      'tenant.read',
      'plants.read',
      'events.read',
      'masterdata.read',
      'config.read',
      'fields.fill',
      'kpi.read',
      'quality.read',
      'changes.read',
      'logistics.read',
      'logistics.manage',
      'reports.schedule',
      'materials.read',
      'inventory.read',
    ],
  },
  {
    key: 'shipper',
    name: 'Shipping',
    description: 'Picks, packs and ships by scanning, prints labels, receives transfers',
    permissions: [
      'tenant.read',
      'plants.read',
      'masterdata.read',
      'config.read',
      'fields.fill',
      'kpi.read',
      'logistics.read',
      'logistics.pack',
      'materials.read',
      'inventory.read',
      'inventory.move',
    ],
  },
] as const satisfies readonly {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}[];

export type BuiltinRoleKey = (typeof builtinRoles)[number]['key'];
