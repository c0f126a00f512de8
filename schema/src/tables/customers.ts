import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { products } from './production.js';

/*
 * Who Plantline ships to and what they asked for (docs/logistics.md). Customers, their ship-to
 * addresses and the carriers are tenant-wide; a delivery request belongs to the plant that ships
 * it. A request keeps the date the customer asked for; every promise is a new row of
 * delivery_promises, so the first promise and the latest one are both there for OTD "to request"
 * and "to promise" (docs/kpis.md, "OTD and OTIF").
 */

/** A Global Location Number: 13 digits, the last a GS1 mod-10 check digit (checked by the API). */
const GLN = '^[0-9]{13}$';

export const customers = pgTable(
  'customers',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** The customer's own GLN (party), for EDI and labels. */
    gln: text('gln'),
    email: text('email').notNull().default(''),
    phone: text('phone').notNull().default(''),
    notes: text('notes').notNull().default(''),
    /** This customer's OTD rules where they differ from the tenant's (schema/src/settings.ts `otd`). */
    otdPolicy: jsonb('otd_policy'),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('customers_tenant_id_id_key').on(t.tenantId, t.id),
    unique('customers_tenant_code_key').on(t.tenantId, t.code),
    check('customers_gln_check', sql`${t.gln} is null or ${t.gln} ~ ${sql.raw(`'${GLN}'`)}`),
  ],
);

export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** How people tell the addresses apart: "Main warehouse", "Plant 2 dock 4". */
    label: text('label').notNull(),
    /** The recipient as printed on the label's "To" block. */
    name: text('name').notNull(),
    street: text('street').notNull().default(''),
    street2: text('street2').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    city: text('city').notNull().default(''),
    region: text('region').notNull().default(''),
    /** ISO 3166-1 alpha-2. */
    country: text('country').notNull(),
    /** The ship-to GLN: AI (410) on the logistic label. */
    gln: text('gln'),
    isDefault: boolean('is_default').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('customer_addresses_tenant_id_id_key').on(t.tenantId, t.id),
    unique('customer_addresses_tenant_customer_id_key').on(t.tenantId, t.customerId, t.id),
    index('customer_addresses_customer_idx').on(t.tenantId, t.customerId),
    check('customer_addresses_gln_check', sql`${t.gln} is null or ${t.gln} ~ ${sql.raw(`'${GLN}'`)}`),
    check('customer_addresses_country_check', sql`${t.country} ~ '^[A-Z]{2}$'`),
    foreignKey({
      name: 'customer_addresses_customer_fk',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }).onDelete('cascade'),
  ],
);

export const carriers = pgTable(
  'carriers',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** The carrier's tracking page with `{tracking}` where the tracking number goes. */
    trackingUrl: text('tracking_url').notNull().default(''),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('carriers_tenant_id_id_key').on(t.tenantId, t.id),
    unique('carriers_tenant_code_key').on(t.tenantId, t.code),
  ],
);

export const deliveryRequestStatuses = ['open', 'partially_shipped', 'shipped', 'cancelled'] as const;
export type DeliveryRequestStatus = (typeof deliveryRequestStatuses)[number];

/** One line a customer ordered: a product, a quantity and the date they asked for. */
export const deliveryRequests = pgTable(
  'delivery_requests',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plant that ships it. */
    plantId: uuid('plant_id').notNull(),
    /** From the `delivery_request` numbering scheme. */
    number: text('number').notNull(),
    customerId: uuid('customer_id').notNull(),
    shipToId: uuid('ship_to_id').notNull(),
    /** The customer's purchase order: AI (400) on the label. */
    customerPo: text('customer_po').notNull().default(''),
    productId: uuid('product_id').notNull(),
    quantity: numeric('quantity').notNull(),
    /** The date the customer asked for, in the shipping plant's calendar. Never changes. */
    requestedDate: date('requested_date').notNull(),
    status: text('status', { enum: deliveryRequestStatuses }).notNull().default('open'),
    note: text('note').notNull().default(''),
    /** Why the request was cancelled, as the person gave it; empty otherwise. */
    cancelReason: text('cancel_reason').notNull().default(''),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('delivery_requests_tenant_id_id_key').on(t.tenantId, t.id),
    unique('delivery_requests_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('delivery_requests_tenant_number_key').on(t.tenantId, t.number),
    index('delivery_requests_due_idx').on(t.tenantId, t.plantId, t.status, t.requestedDate),
    index('delivery_requests_customer_idx').on(t.tenantId, t.customerId),
    index('delivery_requests_ship_to_idx').on(t.tenantId, t.customerId, t.shipToId),
    index('delivery_requests_product_idx').on(t.tenantId, t.productId),
    index('delivery_requests_created_by_idx').on(t.tenantId, t.createdBy),
    check('delivery_requests_status_check', inList(t.status, deliveryRequestStatuses)),
    check('delivery_requests_quantity_check', sql`${t.quantity} > 0`),
    foreignKey({
      name: 'delivery_requests_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'delivery_requests_customer_fk',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    foreignKey({
      name: 'delivery_requests_ship_to_fk',
      columns: [t.tenantId, t.customerId, t.shipToId],
      foreignColumns: [customerAddresses.tenantId, customerAddresses.customerId, customerAddresses.id],
    }),
    foreignKey({
      name: 'delivery_requests_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'delivery_requests_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/**
 * Promised dates, append-only: the first row is the first promise, the newest the current one.
 * A re-promise never rewrites an earlier one (the database refuses updates and deletes).
 */
export const deliveryPromises = pgTable(
  'delivery_promises',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    requestId: uuid('request_id').notNull(),
    promisedDate: date('promised_date').notNull(),
    reason: text('reason').notNull().default(''),
    promisedBy: uuid('promised_by'),
    promisedAt: timestamp('promised_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delivery_promises_request_idx').on(t.tenantId, t.plantId, t.requestId, t.promisedAt),
    index('delivery_promises_promised_by_idx').on(t.tenantId, t.promisedBy),
    foreignKey({
      name: 'delivery_promises_request_fk',
      columns: [t.tenantId, t.plantId, t.requestId],
      foreignColumns: [deliveryRequests.tenantId, deliveryRequests.plantId, deliveryRequests.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'delivery_promises_promised_by_fk',
      columns: [t.tenantId, t.promisedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);
