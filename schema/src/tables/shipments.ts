import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { carriers, customerAddresses, customers, deliveryRequests } from './customers.js';
import { plants, tenants, users } from './identity.js';
import { stations } from './masterdata.js';
import { products } from './production.js';

/*
 * Shipments and what is packed into them (docs/logistics.md). A shipment goes draft → picking →
 * packed → shipped → delivered (or cancelled) and has items: a product, an optional required lot and
 * a quantity. Packing by scanning puts package_contents into packages (a pallet holds cartons), each
 * package identified by an SSCC; `shipment_items.packed_quantity` is the sum of its contents, kept in
 * the same transaction, and the database refuses more than the item asks for. Packages also carry
 * inter-plant transfers (transfers.ts): then `to_plant_id` is the receiving plant, whose users see
 * them too (two-plant row-level security).
 */

export const shipmentStatuses = ['draft', 'picking', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];

export const shipments = pgTable(
  'shipments',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    /** From the `shipment` numbering scheme. */
    number: text('number').notNull(),
    customerId: uuid('customer_id').notNull(),
    shipToId: uuid('ship_to_id').notNull(),
    /** The customer's purchase order for the whole shipment: AI (400) on its labels. */
    customerPo: text('customer_po').notNull().default(''),
    carrierId: uuid('carrier_id'),
    trackingNumber: text('tracking_number').notNull().default(''),
    status: text('status', { enum: shipmentStatuses }).notNull().default('draft'),
    plannedShipDate: date('planned_ship_date'),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** Why it was cancelled, as the planner gave it: shown on the shipment. */
    cancelReason: text('cancel_reason').notNull().default(''),
    /** The shipment whose unpacked remainder this one carries (an explicit backorder). */
    backorderOfId: uuid('backorder_of_id'),
    /** Why it left late, when it did: listed with the late shipments beside OTD. */
    lateReason: text('late_reason').notNull().default(''),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('shipments_tenant_id_id_key').on(t.tenantId, t.id),
    unique('shipments_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('shipments_tenant_number_key').on(t.tenantId, t.number),
    index('shipments_plant_status_idx').on(t.tenantId, t.plantId, t.status, t.plannedShipDate),
    index('shipments_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('shipments_customer_idx').on(t.tenantId, t.customerId),
    index('shipments_ship_to_idx').on(t.tenantId, t.customerId, t.shipToId),
    index('shipments_carrier_idx').on(t.tenantId, t.carrierId),
    index('shipments_shipped_idx').on(t.tenantId, t.plantId, t.shippedAt),
    index('shipments_backorder_idx').on(t.tenantId, t.plantId, t.backorderOfId),
    index('shipments_created_by_idx').on(t.tenantId, t.createdBy),
    check('shipments_status_check', inList(t.status, shipmentStatuses)),
    foreignKey({
      name: 'shipments_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'shipments_customer_fk',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    foreignKey({
      name: 'shipments_ship_to_fk',
      columns: [t.tenantId, t.customerId, t.shipToId],
      foreignColumns: [customerAddresses.tenantId, customerAddresses.customerId, customerAddresses.id],
    }),
    foreignKey({
      name: 'shipments_carrier_fk',
      columns: [t.tenantId, t.carrierId],
      foreignColumns: [carriers.tenantId, carriers.id],
    }),
    foreignKey({
      name: 'shipments_backorder_fk',
      columns: [t.tenantId, t.plantId, t.backorderOfId],
      foreignColumns: [t.tenantId, t.plantId, t.id],
    }),
    foreignKey({
      name: 'shipments_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

export const shipmentItems = pgTable(
  'shipment_items',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    shipmentId: uuid('shipment_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** The customer's line this item delivers, when it comes from one. */
    deliveryRequestId: uuid('delivery_request_id'),
    productId: uuid('product_id').notNull(),
    /** When set, only this lot may be packed (`wrong_lot` otherwise). */
    lot: text('lot'),
    quantity: numeric('quantity').notNull(),
    packedQuantity: numeric('packed_quantity').notNull().default('0'),
    /** The item of the earlier shipment whose remainder this one is. */
    backorderOfItemId: uuid('backorder_of_item_id'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('shipment_items_tenant_id_id_key').on(t.tenantId, t.id),
    unique('shipment_items_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('shipment_items_line_key').on(t.tenantId, t.shipmentId, t.lineNo),
    index('shipment_items_shipment_idx').on(t.tenantId, t.plantId, t.shipmentId),
    index('shipment_items_request_idx').on(t.tenantId, t.plantId, t.deliveryRequestId),
    index('shipment_items_product_idx').on(t.tenantId, t.productId),
    index('shipment_items_backorder_idx').on(t.tenantId, t.plantId, t.backorderOfItemId),
    check('shipment_items_quantity_check', sql`${t.quantity} > 0`),
    check(
      'shipment_items_packed_check',
      sql`${t.packedQuantity} >= 0 and ${t.packedQuantity} <= ${t.quantity}`,
    ),
    foreignKey({
      name: 'shipment_items_shipment_fk',
      columns: [t.tenantId, t.plantId, t.shipmentId],
      foreignColumns: [shipments.tenantId, shipments.plantId, shipments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'shipment_items_request_fk',
      columns: [t.tenantId, t.plantId, t.deliveryRequestId],
      foreignColumns: [deliveryRequests.tenantId, deliveryRequests.plantId, deliveryRequests.id],
    }),
    foreignKey({
      name: 'shipment_items_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'shipment_items_backorder_fk',
      columns: [t.tenantId, t.plantId, t.backorderOfItemId],
      foreignColumns: [t.tenantId, t.plantId, t.id],
    }),
  ],
);

export const packageKinds = ['pallet', 'carton', 'case'] as const;
export type PackageKind = (typeof packageKinds)[number];
export const packageStatuses = ['open', 'closed', 'shipped', 'received'] as const;
export type PackageStatus = (typeof packageStatuses)[number];

/** A pallet, carton or case: a logistic unit with its SSCC (AI 00). */
export const packages = pgTable(
  'packages',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plant that packs it. */
    plantId: uuid('plant_id').notNull(),
    /** A transfer's receiving plant; null for a customer shipment. */
    toPlantId: uuid('to_plant_id'),
    shipmentId: uuid('shipment_id'),
    transferOrderId: uuid('transfer_order_id'),
    /** The pallet this carton sits on. */
    parentId: uuid('parent_id'),
    kind: text('kind', { enum: packageKinds }).notNull(),
    /** 18 digits with its check digit, issued from sscc_sequences. */
    sscc: text('sscc'),
    status: text('status', { enum: packageStatuses }).notNull().default('open'),
    grossWeightKg: numeric('gross_weight_kg'),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    unique('packages_tenant_id_id_key').on(t.tenantId, t.id),
    unique('packages_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    uniqueIndex('packages_sscc_key').on(t.tenantId, t.sscc),
    index('packages_shipment_idx').on(t.tenantId, t.plantId, t.shipmentId),
    index('packages_transfer_idx').on(t.tenantId, t.transferOrderId),
    index('packages_parent_idx').on(t.tenantId, t.plantId, t.parentId),
    index('packages_to_plant_idx').on(t.tenantId, t.toPlantId),
    index('packages_created_by_idx').on(t.tenantId, t.createdBy),
    check('packages_kind_check', inList(t.kind, packageKinds)),
    check('packages_status_check', inList(t.status, packageStatuses)),
    check('packages_sscc_check', sql`${t.sscc} is null or ${t.sscc} ~ '^[0-9]{18}$'`),
    check('packages_carries_one_check', sql`num_nonnulls(${t.shipmentId}, ${t.transferOrderId}) = 1`),
    check('packages_weight_check', sql`${t.grossWeightKg} is null or ${t.grossWeightKg} >= 0`),
    foreignKey({
      name: 'packages_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'packages_shipment_fk',
      columns: [t.tenantId, t.plantId, t.shipmentId],
      foreignColumns: [shipments.tenantId, shipments.plantId, shipments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'packages_parent_fk',
      columns: [t.tenantId, t.plantId, t.parentId],
      foreignColumns: [t.tenantId, t.plantId, t.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'packages_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** One packing: what went into a package, from which scan, by whom. */
export const packageContents = pgTable(
  'package_contents',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    toPlantId: uuid('to_plant_id'),
    packageId: uuid('package_id').notNull(),
    shipmentItemId: uuid('shipment_item_id'),
    transferItemId: uuid('transfer_item_id'),
    productId: uuid('product_id').notNull(),
    gtin: text('gtin'),
    lot: text('lot'),
    serial: text('serial'),
    /** AI (17) expiry from the scan, a calendar date. */
    expiry: date('expiry'),
    /** AI (15) best before, kept apart from (17) expiry so a label prints the date the scan carried. */
    bestBefore: date('best_before'),
    quantity: numeric('quantity').notNull(),
    /** The qr_code_scans event the packing came from, when it came from a scanner. */
    scanEventId: uuid('scan_event_id'),
    packedBy: uuid('packed_by'),
    packedAt: timestamp('packed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('package_contents_package_idx').on(t.tenantId, t.plantId, t.packageId),
    index('package_contents_item_idx').on(t.tenantId, t.plantId, t.shipmentItemId),
    index('package_contents_transfer_item_idx').on(t.tenantId, t.transferItemId),
    index('package_contents_lot_idx').on(t.tenantId, t.productId, t.lot),
    index('package_contents_packed_by_idx').on(t.tenantId, t.packedBy),
    // A serial is one unit: packing it twice is a `duplicate` scan.
    uniqueIndex('package_contents_serial_key')
      .on(t.tenantId, t.productId, t.serial)
      .where(sql`${t.serial} is not null`),
    uniqueIndex('package_contents_scan_key')
      .on(t.tenantId, t.scanEventId)
      .where(sql`${t.scanEventId} is not null`),
    check('package_contents_quantity_check', sql`${t.quantity} > 0`),
    check('package_contents_for_one_check', sql`num_nonnulls(${t.shipmentItemId}, ${t.transferItemId}) = 1`),
    foreignKey({
      name: 'package_contents_package_fk',
      columns: [t.tenantId, t.plantId, t.packageId],
      foreignColumns: [packages.tenantId, packages.plantId, packages.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'package_contents_item_fk',
      columns: [t.tenantId, t.plantId, t.shipmentItemId],
      foreignColumns: [shipmentItems.tenantId, shipmentItems.plantId, shipmentItems.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'package_contents_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'package_contents_packed_by_fk',
      columns: [t.tenantId, t.packedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** The typed answers a station gives to a scan (docs/logistics.md, "Packing by scanning"). */
export const scanResults = [
  'ok',
  'wrong_item',
  'wrong_lot',
  'expired',
  'over_quantity',
  'not_in_shipment',
  'bad_check_digit',
  'duplicate',
  'unreadable',
] as const;
export type ScanResult = (typeof scanResults)[number];

/** Every scan a packing or receiving station answered, refused ones included. */
export const packingScans = pgTable(
  'packing_scans',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    toPlantId: uuid('to_plant_id'),
    shipmentId: uuid('shipment_id'),
    transferOrderId: uuid('transfer_order_id'),
    stationId: uuid('station_id'),
    /** The qr_code_scans event, for scans from a plant scanner through the edge. */
    scanEventId: uuid('scan_event_id'),
    /** What the scanner sent, as received. */
    data: text('data').notNull(),
    result: text('result', { enum: scanResults }).notNull(),
    /** What the operator reads: "Lot L-17 expected, L-18 scanned". */
    message: text('message').notNull().default(''),
    detail: jsonb('detail'),
    /** `edge` (a plant scanner over MQTT) or `browser` (the station page). */
    source: text('source').notNull(),
    scannedBy: uuid('scanned_by'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('packing_scans_shipment_idx').on(t.tenantId, t.plantId, t.shipmentId, t.at),
    index('packing_scans_transfer_idx').on(t.tenantId, t.transferOrderId, t.at),
    index('packing_scans_station_idx').on(t.tenantId, t.stationId, t.at),
    check('packing_scans_result_check', inList(t.result, scanResults)),
    check('packing_scans_source_check', inList(t.source, ['edge', 'browser'])),
    foreignKey({
      name: 'packing_scans_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'packing_scans_station_fk',
      columns: [t.tenantId, t.stationId],
      foreignColumns: [stations.tenantId, stations.id],
    }),
  ],
);

/**
 * SSCC serial references per GS1 company prefix and extension digit: the next SSCC is one atomic
 * `update … returning` of this row, so two packers never get the same number. GS1's SSCC allocation
 * rules forbid reissuing one within a year of its shipment; Plantline never reissues one.
 */
export const ssccSequences = pgTable(
  'sscc_sequences',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    companyPrefix: text('company_prefix').notNull(),
    extensionDigit: integer('extension_digit').notNull(),
    lastSerial: bigint('last_serial', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.companyPrefix, t.extensionDigit] }),
    check('sscc_sequences_prefix_check', sql`${t.companyPrefix} ~ '^[0-9]{6,12}$'`),
    check('sscc_sequences_extension_check', sql`${t.extensionDigit} between 0 and 9`),
    check('sscc_sequences_serial_check', sql`${t.lastSerial} >= 0`),
  ],
);
