import { foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants } from './identity.js';

/*
 * Master data that MQTT topics resolve against (docs/device-integration.md, "Topics"):
 * plantline/v1/{plant}/{line}/{machine}/{kind}. Codes follow the contract's CODE_PATTERN (checked
 * by the admin procedures), so a code that master data accepts is always a valid topic segment.
 * Every table is plant-scoped for row-level security. References are composite (tenant_id, …)
 * foreign keys as in identity.ts, and a machine's reference to its line includes plant_id, so a
 * machine can never sit in another plant's line.
 */

export const areas = pgTable(
  'areas',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('areas_tenant_id_id_key').on(t.tenantId, t.id),
    // Also the index of the plant foreign key (its leading columns).
    unique('areas_tenant_plant_code_key').on(t.tenantId, t.plantId, t.code),
    foreignKey({
      name: 'areas_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

export const lines = pgTable(
  'lines',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    areaId: uuid('area_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: createdAtColumn(),
  },
  // An area or line that still has lines or stations cannot be deleted: SET NULL would also null
  // the NOT NULL tenant_id of the composite key.
  (t) => [
    unique('lines_tenant_id_id_key').on(t.tenantId, t.id),
    // The target of the machines' and stations' plant-consistent references.
    unique('lines_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('lines_tenant_plant_code_key').on(t.tenantId, t.plantId, t.code),
    foreignKey({
      name: 'lines_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'lines_area_fk',
      columns: [t.tenantId, t.areaId],
      foreignColumns: [areas.tenantId, areas.id],
    }),
    index('lines_area_idx').on(t.tenantId, t.areaId),
  ],
);

export const machines = pgTable(
  'machines',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('machines_tenant_id_id_key').on(t.tenantId, t.id),
    // Unique per line; its leading columns also index both foreign keys below.
    unique('machines_tenant_plant_line_code_key').on(t.tenantId, t.plantId, t.lineId, t.code),
    foreignKey({
      name: 'machines_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'machines_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }).onDelete('cascade'),
  ],
);

/** Scanning points (QR / barcode readers, pack stations), optionally on a line. */
export const stations = pgTable(
  'stations',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('stations_tenant_id_id_key').on(t.tenantId, t.id),
    unique('stations_tenant_plant_code_key').on(t.tenantId, t.plantId, t.code),
    foreignKey({
      name: 'stations_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'stations_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }),
    index('stations_line_idx').on(t.tenantId, t.plantId, t.lineId),
  ],
);
