import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { labelKinds } from '../labels/kinds.js';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { inventoryLocations } from './materials.js';
import { packages, shipments } from './shipments.js';

/*
 * Labels (docs/labels.md): templates per label kind (tenant-wide, versioned by a row version), the
 * plant's printers, every label issued with the data it carries, and every print of it — reprints
 * included, with the printer's answer. A print travels cloud → the plant's edge → the printer's raw
 * TCP port; `label_prints.status` follows it.
 */

export const labelTemplates = pgTable(
  'label_templates',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: labelKinds }).notNull(),
    /** The template as `@plantline/schema/labels` defines it. */
    definition: jsonb('definition').notNull(),
    /** Shipped with Plantline; a tenant copies one to change it. */
    builtin: boolean('builtin').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('label_templates_tenant_id_id_key').on(t.tenantId, t.id),
    unique('label_templates_tenant_key_key').on(t.tenantId, t.key),
    check('label_templates_kind_check', inList(t.kind, labelKinds)),
  ],
);

/** A label printer on a plant's network, reached through that plant's edge. */
export const printers = pgTable(
  'printers',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Host name or address on the plant network, as the edge reaches it. */
    host: text('host').notNull(),
    port: integer('port').notNull().default(9100),
    /** Print density in dots per millimetre: 8 (203 dpi), 12 (300 dpi), 24 (600 dpi). */
    dotsPerMm: integer('dots_per_mm').notNull().default(8),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('printers_tenant_id_id_key').on(t.tenantId, t.id),
    unique('printers_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('printers_tenant_plant_code_key').on(t.tenantId, t.plantId, t.code),
    check('printers_port_check', sql`${t.port} between 1 and 65535`),
    check('printers_density_check', sql`${t.dotsPerMm} in (6, 8, 12, 24)`),
    foreignKey({
      name: 'printers_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

/** A label issued: its kind, what it is on, and the data it carries (kept as printed). */
export const barcodeLabels = pgTable(
  'barcode_labels',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    kind: text('kind', { enum: labelKinds }).notNull(),
    templateId: uuid('template_id'),
    /** The template's row version the label was made with. */
    templateVersion: integer('template_version'),
    packageId: uuid('package_id'),
    shipmentId: uuid('shipment_id'),
    /** The bin or rack a location label is on (docs/materials.md, "Location labels"). */
    locationId: uuid('location_id'),
    sscc: text('sscc'),
    /** The GS1 element string(s) in bracketed form, as on the human-readable line. */
    elementString: text('element_string').notNull().default(''),
    /** The label's data (sscc, gtin, count, lot, dates, ship-from, ship-to…). */
    data: jsonb('data').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('barcode_labels_tenant_id_id_key').on(t.tenantId, t.id),
    unique('barcode_labels_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    index('barcode_labels_package_idx').on(t.tenantId, t.plantId, t.packageId),
    index('barcode_labels_shipment_idx').on(t.tenantId, t.plantId, t.shipmentId),
    index('barcode_labels_location_idx').on(t.tenantId, t.plantId, t.locationId),
    index('barcode_labels_sscc_idx').on(t.tenantId, t.sscc),
    index('barcode_labels_template_idx').on(t.tenantId, t.templateId),
    index('barcode_labels_created_by_idx').on(t.tenantId, t.createdBy),
    check('barcode_labels_kind_check', inList(t.kind, labelKinds)),
    check('barcode_labels_location_check', sql`(${t.kind} = 'location') = (${t.locationId} is not null)`),
    foreignKey({
      name: 'barcode_labels_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'barcode_labels_template_fk',
      columns: [t.tenantId, t.templateId],
      foreignColumns: [labelTemplates.tenantId, labelTemplates.id],
    }),
    foreignKey({
      name: 'barcode_labels_package_fk',
      columns: [t.tenantId, t.plantId, t.packageId],
      foreignColumns: [packages.tenantId, packages.plantId, packages.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'barcode_labels_shipment_fk',
      columns: [t.tenantId, t.plantId, t.shipmentId],
      foreignColumns: [shipments.tenantId, shipments.plantId, shipments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'barcode_labels_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'barcode_labels_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

export const labelPrintStatuses = ['queued', 'sent', 'printed', 'failed'] as const;
export type LabelPrintStatus = (typeof labelPrintStatuses)[number];

/** One print of a label on a printer: the reprint log and the printer's answer. */
export const labelPrints = pgTable(
  'label_prints',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    labelId: uuid('label_id').notNull(),
    printerId: uuid('printer_id').notNull(),
    copies: integer('copies').notNull().default(1),
    /** A print of a label printed before: why is required. */
    reprint: boolean('reprint').notNull().default(false),
    reason: text('reason').notNull().default(''),
    status: text('status', { enum: labelPrintStatuses }).notNull().default('queued'),
    /** What the printer said (its status flags), when asked. */
    printerStatus: jsonb('printer_status'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    requestedBy: uuid('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('label_prints_label_idx').on(t.tenantId, t.plantId, t.labelId),
    index('label_prints_queue_idx').on(t.tenantId, t.plantId, t.status, t.requestedAt),
    index('label_prints_printer_idx').on(t.tenantId, t.plantId, t.printerId),
    index('label_prints_requested_by_idx').on(t.tenantId, t.requestedBy),
    check('label_prints_status_check', inList(t.status, labelPrintStatuses)),
    check('label_prints_copies_check', sql`${t.copies} between 1 and 100`),
    foreignKey({
      name: 'label_prints_label_fk',
      columns: [t.tenantId, t.plantId, t.labelId],
      foreignColumns: [barcodeLabels.tenantId, barcodeLabels.plantId, barcodeLabels.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'label_prints_printer_fk',
      columns: [t.tenantId, t.plantId, t.printerId],
      foreignColumns: [printers.tenantId, printers.plantId, printers.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'label_prints_requested_by_fk',
      columns: [t.tenantId, t.requestedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);
