import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants } from './identity.js';
import { machines } from './masterdata.js';
import { inventoryLocations, materialLots } from './materials.js';
import { productionOrders } from './production-orders.js';

/*
 * Counted production booked to the ledger (docs/materials.md, "Counted production"): the good parts a
 * machine counts for an order in progress go into the order's lot and consume its backflushed
 * components as they are counted. Each booking is recorded here with what it wrote and, when the
 * line side ran short, which components and by how much — the count itself stays in
 * production_counts whatever happened to its booking, and the record is written once.
 */

export const productionBookingResults = ['booked', 'short', 'refused'] as const;
export type ProductionBookingResult = (typeof productionBookingResults)[number];

/** A component the line side could not give in full: what was due and what there was. */
export interface BookingShortage {
  materialId: string;
  code: string;
  unit: string;
  location: string;
  needed: string;
  available: string;
}

export const productionBookings = pgTable(
  'production_bookings',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    machineId: uuid('machine_id').notNull(),
    productionOrderId: uuid('production_order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    /** The production_counts events booked together (one ingest batch's counts of the machine). */
    eventIds: uuid('event_ids').array().notNull(),
    /** Good parts counted, in the product's base unit. */
    good: integer('good').notNull(),
    result: text('result', { enum: productionBookingResults }).notNull(),
    /** What an engineer reads: what was booked, what was short, or why nothing was. */
    message: text('message').notNull(),
    /** The order's lot the parts went into (null when refused or the product is not lot-tracked). */
    lotId: uuid('lot_id'),
    locationId: uuid('location_id'),
    /** The ledger act written (output and consumption share it); null when refused. */
    groupId: uuid('group_id'),
    shortages: jsonb('shortages').$type<BookingShortage[]>(),
    /** When the last of the counts was made. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('production_bookings_plant_idx').on(t.tenantId, t.plantId, t.at),
    index('production_bookings_order_idx').on(t.tenantId, t.productionOrderId, t.at),
    index('production_bookings_machine_idx').on(t.tenantId, t.machineId),
    index('production_bookings_lot_idx').on(t.tenantId, t.lotId),
    index('production_bookings_location_idx').on(t.tenantId, t.plantId, t.locationId),
    check('production_bookings_result_check', inList(t.result, productionBookingResults)),
    check('production_bookings_good_check', sql`${t.good} > 0`),
    foreignKey({
      name: 'production_bookings_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'production_bookings_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }),
    foreignKey({
      name: 'production_bookings_order_fk',
      columns: [t.tenantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.id],
    }),
    foreignKey({
      name: 'production_bookings_lot_fk',
      columns: [t.tenantId, t.lotId],
      foreignColumns: [materialLots.tenantId, materialLots.id],
    }),
    foreignKey({
      name: 'production_bookings_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }),
  ],
);
