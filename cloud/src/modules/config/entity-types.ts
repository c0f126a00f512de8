import type { Permission } from '@plantline/schema';
import { DomainError } from '../../platform/index.js';

/*
 * The entity types that carry custom fields (docs/configuration.md, "Adding an entity type"). A
 * domain joins with one entry here: its table and the columns a list shows. Identifiers below are
 * constants, never caller input; callers name an entity type by key and entityType() refuses
 * unknown keys.
 */

export interface EntityType {
  readonly key: string;
  readonly label: string;
  readonly plural: string;
  /** The SQL table, and its columns for the record's code (or number), name and plant. */
  readonly table: string;
  readonly codeColumn: string;
  readonly nameColumn: string | null;
  /** Null for tenant-wide entities (products): their values are not plant-scoped. */
  readonly plantColumn: string | null;
  readonly activeColumn: string | null;
  /**
   * What tells records with the same code apart in a list (machine M1 of line L1 or of L2): a label
   * and a scalar SQL expression over the record `e`, or null.
   */
  readonly context: { readonly label: string; readonly expression: string } | null;
  /**
   * When a record's custom values are closed to change (a completed order), as a boolean SQL
   * expression over `e` and the reason given; null when they never close.
   */
  readonly closed: { readonly expression: string; readonly reason: string } | null;
  /** Who may list the records (custom values need `fields.fill` to change). */
  readonly readPermission: Permission;
}

export const entityTypes = [
  {
    key: 'product',
    label: 'Product',
    plural: 'Products',
    table: 'products',
    codeColumn: 'code',
    nameColumn: 'name',
    plantColumn: null,
    activeColumn: 'is_active',
    context: null,
    closed: null,
    readPermission: 'masterdata.read',
  },
  {
    key: 'machine',
    label: 'Machine',
    plural: 'Machines',
    table: 'machines',
    codeColumn: 'code',
    nameColumn: 'name',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: { label: 'Line', expression: '(select l.code from lines l where l.id = e.line_id)' },
    closed: null,
    readPermission: 'masterdata.read',
  },
  {
    key: 'line',
    label: 'Line',
    plural: 'Lines',
    table: 'lines',
    codeColumn: 'code',
    nameColumn: 'name',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: null,
    closed: null,
    readPermission: 'masterdata.read',
  },
  {
    key: 'production_order',
    label: 'Production order',
    plural: 'Production orders',
    table: 'production_orders',
    codeColumn: 'number',
    nameColumn: 'note',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: { label: 'Product', expression: '(select p.code from products p where p.id = e.product_id)' },
    // As the order itself (production-orders.ts): closed once completed or cancelled.
    closed: {
      expression: "e.status in ('completed', 'cancelled')",
      reason: 'The order is closed; its values no longer change',
    },
    readPermission: 'masterdata.read',
  },
  {
    key: 'change_order',
    label: 'Change order',
    plural: 'Change orders',
    table: 'change_orders',
    codeColumn: 'number',
    nameColumn: 'title',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: null,
    // As the change order itself (change-orders.ts): once implemented it no longer changes.
    closed: {
      expression: 'e.implemented_at is not null',
      reason: 'The change order is implemented; its values no longer change',
    },
    readPermission: 'changes.read',
  },
  {
    key: 'customer',
    label: 'Customer',
    plural: 'Customers',
    table: 'customers',
    codeColumn: 'code',
    nameColumn: 'name',
    plantColumn: null,
    activeColumn: 'is_active',
    context: null,
    closed: null,
    readPermission: 'logistics.read',
  },
  {
    key: 'delivery_request',
    label: 'Delivery request',
    plural: 'Delivery requests',
    table: 'delivery_requests',
    codeColumn: 'number',
    nameColumn: 'customer_po',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: { label: 'Status', expression: 'e.status' },
    closed: {
      expression: "e.status in ('shipped', 'cancelled')",
      reason: 'The request is shipped or cancelled; its values no longer change',
    },
    readPermission: 'logistics.read',
  },
  {
    key: 'shipment',
    label: 'Shipment',
    plural: 'Shipments',
    table: 'shipments',
    codeColumn: 'number',
    nameColumn: 'customer_po',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: { label: 'Status', expression: 'e.status' },
    closed: {
      expression: "e.status in ('shipped', 'delivered', 'cancelled')",
      reason: 'The shipment has left or is cancelled; its values no longer change',
    },
    readPermission: 'logistics.read',
  },
  {
    key: 'transfer_order',
    label: 'Transfer',
    plural: 'Transfers',
    table: 'transfer_orders',
    codeColumn: 'number',
    nameColumn: null,
    // Custom values follow the sending plant (field_values carry one plant).
    plantColumn: 'from_plant_id',
    activeColumn: null,
    context: { label: 'Status', expression: 'e.status' },
    closed: {
      expression: "e.status in ('received', 'cancelled')",
      reason: 'The transfer is received or cancelled; its values no longer change',
    },
    readPermission: 'logistics.read',
  },
  {
    key: 'ncr',
    label: 'NCR',
    plural: 'NCRs',
    table: 'ncrs',
    codeColumn: 'number',
    nameColumn: 'title',
    plantColumn: 'plant_id',
    activeColumn: null,
    context: { label: 'Status', expression: 'e.status' },
    // The NCR's workflow locks fields per state, custom ones included (docs/ncrs.md).
    closed: null,
    readPermission: 'quality.read',
  },
  {
    key: 'report',
    label: 'Report',
    plural: 'Reports',
    table: 'reports',
    codeColumn: 'code',
    nameColumn: 'name',
    // A tenant's report definitions are tenant-wide (docs/reports.md).
    plantColumn: null,
    activeColumn: 'is_active',
    context: null,
    closed: null,
    // Anyone signed in may list reports; what a report shows is checked when it runs.
    readPermission: 'kpi.read',
  },
  {
    key: 'material',
    label: 'Material',
    plural: 'Materials',
    table: 'materials',
    codeColumn: 'code',
    nameColumn: 'name',
    plantColumn: null,
    activeColumn: 'is_active',
    context: { label: 'Kind', expression: 'e.kind' },
    closed: null,
    readPermission: 'materials.read',
  },
  {
    key: 'material_lot',
    label: 'Lot',
    plural: 'Lots',
    table: 'material_lots',
    codeColumn: 'lot_code',
    nameColumn: 'supplier_lot',
    // Lots travel between plants, so their values are the tenant's like the lot itself.
    plantColumn: null,
    activeColumn: null,
    context: {
      label: 'Material',
      expression: '(select m.code from materials m where m.tenant_id = e.tenant_id and m.id = e.material_id)',
    },
    closed: null,
    readPermission: 'materials.read',
  },
  {
    key: 'bom',
    label: 'BOM',
    plural: 'BOMs',
    table: 'boms',
    codeColumn: 'code',
    nameColumn: 'name',
    // A BOM is the tenant's, like the material it makes.
    plantColumn: null,
    activeColumn: null,
    context: { label: 'Status', expression: 'e.status' },
    closed: null,
    readPermission: 'materials.read',
  },
] as const satisfies readonly EntityType[];

export type EntityTypeKey = (typeof entityTypes)[number]['key'];
export const entityTypeKeys = entityTypes.map((e) => e.key) as [EntityTypeKey, ...EntityTypeKey[]];

const byKey = new Map<string, EntityType>(entityTypes.map((e) => [e.key, e]));

export function entityType(key: string): EntityType {
  const found = byKey.get(key);
  if (found === undefined)
    throw new DomainError('invalid', `No entity type ${key}`, { entityType: 'Unknown' });
  return found;
}
