import {
  check,
  foreignKey,
  index,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, inList } from './columns.js';
import { plants } from './identity.js';
import { machines } from './masterdata.js';
import { inventoryLocations, materialLots, materials } from './materials.js';
import { productionOrders } from './production-orders.js';

/*
 * Scans with `action: consume` at a machine (docs/materials.md, "Consuming at a machine"): each is
 * answered at the station and recorded here, refused ones included, so an engineer sees every lot
 * an operator tried to use and why it was refused. An accepted one names the consumption movement
 * it wrote; the scan event itself stays in qr_code_scans.
 */

export const consumptionScanResults = [
  'ok',
  'wrong_item',
  'wrong_lot',
  'expired',
  'over_quantity',
  'unreadable',
  'no_task',
] as const;
export type ConsumptionScanResult = (typeof consumptionScanResults)[number];

export const consumptionScans = pgTable(
  'consumption_scans',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    machineId: uuid('machine_id').notNull(),
    /** The qr_code_scans event: each is consumed at most once, however often the edge sends it. */
    scanEventId: uuid('scan_event_id').notNull(),
    /** The station code the scan came from (the payload's `station`, else the machine's code). */
    station: text('station').notNull(),
    /** What the scanner sent, as received. */
    data: text('data').notNull(),
    result: text('result', { enum: consumptionScanResults }).notNull(),
    /** What the operator read at the station. */
    message: text('message').notNull(),
    productionOrderId: uuid('production_order_id'),
    orderNumber: text('order_number'),
    materialId: uuid('material_id'),
    lotId: uuid('lot_id'),
    locationId: uuid('location_id'),
    /** In the material's base unit; set when consumed. */
    quantity: numeric('quantity'),
    /** The consumption movement written, when the scan was accepted. */
    movementId: uuid('movement_id'),
    /** What was read from the scan (GTIN, batch, expiry), for the engineer looking at a refusal. */
    detail: jsonb('detail'),
    /** When it was scanned (the event's time). */
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('consumption_scans_event_key').on(t.tenantId, t.scanEventId),
    index('consumption_scans_plant_idx').on(t.tenantId, t.plantId, t.at),
    index('consumption_scans_machine_idx').on(t.tenantId, t.machineId, t.at),
    index('consumption_scans_order_idx').on(t.tenantId, t.productionOrderId),
    index('consumption_scans_lot_idx').on(t.tenantId, t.materialId, t.lotId),
    index('consumption_scans_location_idx').on(t.tenantId, t.plantId, t.locationId),
    check('consumption_scans_result_check', inList(t.result, consumptionScanResults)),
    foreignKey({
      name: 'consumption_scans_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'consumption_scans_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }),
    foreignKey({
      name: 'consumption_scans_order_fk',
      columns: [t.tenantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.id],
    }),
    foreignKey({
      name: 'consumption_scans_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
    foreignKey({
      name: 'consumption_scans_lot_fk',
      columns: [t.tenantId, t.materialId, t.lotId],
      foreignColumns: [materialLots.tenantId, materialLots.materialId, materialLots.id],
    }),
    foreignKey({
      name: 'consumption_scans_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }),
  ],
);
