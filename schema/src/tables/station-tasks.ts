import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { stations } from './masterdata.js';
import { packages, shipments } from './shipments.js';
import { transferOrders } from './transfers.js';

/*
 * What a station works on now (docs/logistics.md, "Scanning at a station"): a person assigns a
 * station of their plant to pack a shipment (or a transfer) into one open package, or to receive a
 * transfer. A plant scanner's scan that reaches the cloud through the edge carries its station, and
 * this row says what the scan is checked against. One task per station: assigning again replaces it.
 */

export const stationTaskModes = ['pack', 'receive'] as const;
export type StationTaskMode = (typeof stationTaskModes)[number];

export const stationTasks = pgTable(
  'station_tasks',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The station's plant: whose users see and change the task. */
    plantId: uuid('plant_id').notNull(),
    stationId: uuid('station_id').notNull(),
    mode: text('mode', { enum: stationTaskModes }).notNull(),
    shipmentId: uuid('shipment_id'),
    transferOrderId: uuid('transfer_order_id'),
    /** The open pallet or carton a packing station packs into; none when receiving. */
    packageId: uuid('package_id'),
    assignedBy: uuid('assigned_by'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    unique('station_tasks_tenant_id_id_key').on(t.tenantId, t.id),
    unique('station_tasks_station_key').on(t.tenantId, t.stationId),
    check('station_tasks_mode_check', inList(t.mode, stationTaskModes)),
    check('station_tasks_target_check', sql`num_nonnulls(${t.shipmentId}, ${t.transferOrderId}) = 1`),
    check('station_tasks_package_check', sql`(${t.mode} = 'pack') = (${t.packageId} is not null)`),
    check('station_tasks_receive_check', sql`${t.mode} = 'pack' or ${t.transferOrderId} is not null`),
    foreignKey({
      name: 'station_tasks_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'station_tasks_station_fk',
      columns: [t.tenantId, t.stationId],
      foreignColumns: [stations.tenantId, stations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'station_tasks_shipment_fk',
      columns: [t.tenantId, t.shipmentId],
      foreignColumns: [shipments.tenantId, shipments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'station_tasks_transfer_fk',
      columns: [t.tenantId, t.transferOrderId],
      foreignColumns: [transferOrders.tenantId, transferOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'station_tasks_package_fk',
      columns: [t.tenantId, t.packageId],
      foreignColumns: [packages.tenantId, packages.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'station_tasks_assigned_by_fk',
      columns: [t.tenantId, t.assignedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('station_tasks_plant_idx').on(t.tenantId, t.plantId),
    index('station_tasks_shipment_idx').on(t.tenantId, t.shipmentId),
    index('station_tasks_transfer_idx').on(t.tenantId, t.transferOrderId),
    index('station_tasks_package_idx').on(t.tenantId, t.packageId),
    index('station_tasks_assigned_by_idx').on(t.tenantId, t.assignedBy),
  ],
);
