import type { Permission } from '@plantline/schema';

/*
 * The kinds of records search finds (docs/search.md, "Adding a domain"). Each is registered twice:
 * in SQL, where plantline.register_search installs the triggers that keep its documents in step, and
 * here, with what people read (its label), who may see it (a permission) and where a result leads
 * (a page of the web app). search.test.ts fails when the two lists differ. Identifiers and SQL here
 * are constants, never caller input.
 */

/** A found record as the registry's link and context see it. */
export interface FoundRecord {
  readonly entityId: string;
  readonly code: string | null;
  readonly title: string | null;
  readonly plantId: string | null;
  /** The value of the type's context expression, if it has one. */
  readonly context: string | null;
}

export interface SearchableType {
  /** The entity type in search_documents, as registered in SQL. */
  readonly key: string;
  /** A group of results: "Production orders". */
  readonly label: string;
  /** One result: "Production order". */
  readonly singular: string;
  /** Results of this type are shown only to callers holding it. */
  readonly permission: Permission;
  /**
   * What tells records with the same code apart (machine M1 of line L1 or of L2), or what the link
   * needs: a scalar SQL expression over the record `e` of `table`, read under row-level security.
   */
  readonly context: { readonly table: string; readonly expression: string } | null;
  /** The page that shows the record, or its list; null when the web app has no page for it yet. */
  readonly link: (record: FoundRecord, held: ReadonlySet<Permission>) => string | null;
}

/** A record's page of custom fields (web: config/records/[entityType]/[id]), which needs config.read. */
function recordPage(entityType: string, record: FoundRecord): string {
  const params = new URLSearchParams({
    code: record.code ?? '',
    ...(record.title ? { name: record.title } : {}),
  });
  return `/config/records/${entityType}/${encodeURIComponent(record.entityId)}?${params}`;
}

/** Plants & lines, opened on the record's plant. */
const plantsPage = (record: FoundRecord) =>
  record.plantId === null ? '/admin/plants' : `/admin/plants?plant=${encodeURIComponent(record.plantId)}`;

const lineCode = (table: string) => ({
  table,
  expression: '(select l.code from lines l where l.tenant_id = e.tenant_id and l.id = e.line_id)',
});

export const searchableTypes = [
  {
    key: 'production_order',
    label: 'Production orders',
    singular: 'Production order',
    permission: 'masterdata.read',
    context: {
      table: 'production_orders',
      expression: '(select p.code from products p where p.tenant_id = e.tenant_id and p.id = e.product_id)',
    },
    link: (record, held) =>
      held.has('config.read')
        ? recordPage('production_order', record)
        : `/orders${record.plantId === null ? '' : `?plant=${encodeURIComponent(record.plantId)}`}`,
  },
  {
    key: 'product',
    label: 'Products',
    singular: 'Product',
    permission: 'masterdata.read',
    context: null,
    link: (record, held) => (held.has('config.read') ? recordPage('product', record) : '/admin/production'),
  },
  {
    key: 'machine',
    label: 'Machines',
    singular: 'Machine',
    permission: 'masterdata.read',
    context: lineCode('machines'),
    link: (record, held) => {
      if (held.has('kpi.read')) return `/machines/${encodeURIComponent(record.entityId)}`;
      return held.has('config.read') ? recordPage('machine', record) : plantsPage(record);
    },
  },
  {
    key: 'line',
    label: 'Lines',
    singular: 'Line',
    permission: 'masterdata.read',
    context: null,
    link: (record, held) => (held.has('config.read') ? recordPage('line', record) : plantsPage(record)),
  },
  {
    key: 'station',
    label: 'Stations',
    singular: 'Station',
    permission: 'masterdata.read',
    context: lineCode('stations'),
    link: plantsPage,
  },
  {
    key: 'area',
    label: 'Areas',
    singular: 'Area',
    permission: 'masterdata.read',
    context: null,
    link: plantsPage,
  },
  {
    key: 'plant',
    label: 'Plants',
    singular: 'Plant',
    permission: 'plants.read',
    context: null,
    link: plantsPage,
  },
  {
    key: 'downtime_reason',
    label: 'Downtime reasons',
    singular: 'Downtime reason',
    permission: 'masterdata.read',
    context: null,
    link: () => '/admin/production',
  },
  {
    key: 'defect_code',
    label: 'Defect codes',
    singular: 'Defect code',
    permission: 'quality.read',
    context: null,
    link: () => null,
  },
  {
    key: 'inspection_plan',
    label: 'Inspection plans',
    singular: 'Inspection plan',
    permission: 'quality.read',
    context: null,
    link: () => null,
  },
  {
    key: 'type_list',
    label: 'Type lists',
    singular: 'Type list',
    permission: 'config.read',
    context: null,
    link: (record) => `/config/type-lists/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'custom_field',
    label: 'Custom fields',
    singular: 'Custom field',
    permission: 'config.read',
    // The entity type the field belongs to, shown beside it; the fields page opens on it.
    context: { table: 'custom_fields', expression: 'e.entity_type' },
    link: (record) =>
      record.context === null
        ? '/config/fields'
        : `/config/fields?entity=${encodeURIComponent(record.context)}`,
  },
  {
    key: 'ncr',
    label: 'NCRs',
    singular: 'NCR',
    permission: 'quality.read',
    context: null,
    link: (record) => `/quality/ncrs/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'customer',
    label: 'Customers',
    singular: 'Customer',
    permission: 'logistics.read',
    context: null,
    link: (record) => `/logistics/customers/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'carrier',
    label: 'Carriers',
    singular: 'Carrier',
    permission: 'logistics.read',
    context: null,
    link: () => '/logistics/carriers',
  },
  {
    key: 'delivery_request',
    label: 'Delivery requests',
    singular: 'Delivery request',
    permission: 'logistics.read',
    context: {
      table: 'delivery_requests',
      expression: '(select c.name from customers c where c.tenant_id = e.tenant_id and c.id = e.customer_id)',
    },
    link: (record) => `/logistics/requests/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'shipment',
    label: 'Shipments',
    singular: 'Shipment',
    permission: 'logistics.read',
    context: {
      table: 'shipments',
      expression: '(select c.name from customers c where c.tenant_id = e.tenant_id and c.id = e.customer_id)',
    },
    link: (record) => `/logistics/shipments/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'transfer_order',
    label: 'Transfers',
    singular: 'Transfer',
    permission: 'logistics.read',
    context: null,
    link: (record) => `/logistics/transfers/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'report',
    label: 'Reports',
    singular: 'Report',
    // What a report shows is checked again when it runs (docs/reports.md); its name is no secret.
    permission: 'kpi.read',
    context: null,
    link: (record) => `/reports/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'change_order',
    label: 'Change orders',
    singular: 'Change order',
    permission: 'changes.read',
    context: null,
    link: (record) => `/change-orders/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'workflow',
    label: 'Workflows',
    singular: 'Workflow',
    permission: 'workflows.manage',
    context: null,
    link: (record) => `/admin/workflows/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'user',
    label: 'Users',
    singular: 'User',
    permission: 'users.read',
    context: null,
    link: () => '/admin/users',
  },
  {
    key: 'role',
    label: 'Roles',
    singular: 'Role',
    permission: 'roles.read',
    context: null,
    link: () => '/admin/roles',
  },
  {
    key: 'material',
    label: 'Materials',
    singular: 'Material',
    permission: 'materials.read',
    context: null,
    link: (record) => `/materials/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'material_lot',
    label: 'Lots',
    singular: 'Lot',
    permission: 'materials.read',
    context: {
      table: 'material_lots',
      expression: '(select m.code from materials m where m.tenant_id = e.tenant_id and m.id = e.material_id)',
    },
    link: (record) => `/materials/lots/${encodeURIComponent(record.entityId)}`,
  },
  {
    key: 'bom',
    label: 'BOMs',
    singular: 'BOM',
    permission: 'materials.read',
    context: null,
    link: (record) => `/materials/boms/${encodeURIComponent(record.entityId)}`,
  },
] as const satisfies readonly SearchableType[];

export type SearchTypeKey = (typeof searchableTypes)[number]['key'];
export const searchTypeKeys = searchableTypes.map((t) => t.key) as [SearchTypeKey, ...SearchTypeKey[]];

const byKey = new Map<string, SearchableType>(searchableTypes.map((t) => [t.key, t]));

export function searchableType(key: string): SearchableType | undefined {
  return byKey.get(key);
}

/** The types a caller holding these permissions may see, narrowed to `wanted` when given. */
export function visibleTypes(
  held: ReadonlySet<Permission>,
  wanted?: readonly string[] | undefined,
): SearchableType[] {
  const asked = wanted === undefined ? null : new Set(wanted);
  return searchableTypes.filter((t) => held.has(t.permission) && (asked === null || asked.has(t.key)));
}
