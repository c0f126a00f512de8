import {
  bigint,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants } from './identity.js';

/*
 * Plant events from the edge (docs/device-integration.md). Hypertables on `time` where TimescaleDB
 * exists, ordinary tables elsewhere (migration 0004). Hypertables have no primary key: a unique
 * index there must contain the partitioning column, so idempotency is a unique index on (tenant_id,
 * event_id, time) — the edge resends an event with the same id and time. tenant_id leads so one
 * tenant's ids can never collide with (and so shadow) another's.
 *
 * No foreign keys to master data: these are append-only facts written at ingest rates, the ingest
 * procedure resolves the ids inside the caller's RLS scope, and a machine retired from master data
 * must not take its history with it (nor be blocked by millions of rows).
 *
 * The per-machine indexes are ascending in time: new rows land at the end of each machine's range
 * (measured ~10–20 % faster inserts than DESC on PostgreSQL 15), and a backward scan serves
 * "latest first" just as well.
 */
const eventColumns = () => ({
  time: timestamp('time', { withTimezone: true }).notNull(),
  tenantId: uuid('tenant_id').notNull(),
  plantId: uuid('plant_id').notNull(),
  lineId: uuid('line_id').notNull(),
  machineId: uuid('machine_id').notNull(),
  eventId: uuid('event_id').notNull(),
  /** When the edge received it. */
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  /** The device's own time when it was outside the skew bound and the receive time was used. */
  deviceTime: timestamp('device_time', { withTimezone: true }),
});

export const machineStateEvents = pgTable(
  'machine_state_events',
  { ...eventColumns(), state: text('state').notNull(), reason: text('reason') },
  (t) => [
    uniqueIndex('machine_state_events_event_key').on(t.tenantId, t.eventId, t.time),
    index('machine_state_events_machine_time_idx').on(t.machineId, t.time),
  ],
);

export const productionCounts = pgTable(
  'production_counts',
  {
    ...eventColumns(),
    good: integer('good').notNull(),
    scrap: integer('scrap').notNull(),
    productCode: text('product_code'),
    orderCode: text('order_code'),
  },
  (t) => [
    uniqueIndex('production_counts_event_key').on(t.tenantId, t.eventId, t.time),
    index('production_counts_machine_time_idx').on(t.machineId, t.time),
  ],
);

export const qrCodeScans = pgTable(
  'qr_code_scans',
  {
    ...eventColumns(),
    code: text('code').notNull(),
    symbology: text('symbology').notNull(),
    action: text('action').notNull(),
    stationCode: text('station_code'),
  },
  (t) => [
    uniqueIndex('qr_code_scans_event_key').on(t.tenantId, t.eventId, t.time),
    index('qr_code_scans_machine_time_idx').on(t.machineId, t.time),
    index('qr_code_scans_code_idx').on(t.tenantId, t.code),
  ],
);

/** One row per telemetry value; the values of one device message share its event id. */
export const sensorReadings = pgTable(
  'sensor_readings',
  {
    ...eventColumns(),
    name: text('name').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [
    uniqueIndex('sensor_readings_event_key').on(t.tenantId, t.eventId, t.name, t.time),
    index('sensor_readings_machine_name_time_idx').on(t.machineId, t.name, t.time),
  ],
);

/*
 * Events whose line or machine code is not (yet) in master data. Policy
 * (docs/device-integration.md, "Unknown machines"): never dropped; held here, visible to
 * administrators, and re-ingested into the hypertables once the machine exists
 * (`ingest.releaseUnassigned`). The whole envelope is kept as sent.
 */
export const unassignedEvents = pgTable(
  'unassigned_events',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    eventId: uuid('event_id').notNull(),
    lineCode: text('line_code').notNull(),
    machineCode: text('machine_code').notNull(),
    kind: text('kind').notNull(),
    time: timestamp('time', { withTimezone: true }).notNull(),
    envelope: jsonb('envelope').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('unassigned_events_event_key').on(t.tenantId, t.eventId),
    foreignKey({
      name: 'unassigned_events_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    index('unassigned_events_plant_codes_idx').on(t.tenantId, t.plantId, t.lineCode, t.machineCode),
  ],
);

/*
 * The commit log of stored events, one row per ingest transaction that stored any
 * (docs/architecture.md, "The commit log and the live stream"). Event ids are UUIDv7 by the time
 * the edge first saw an event, so they do not follow commit order: an edge catching up after an
 * outage commits old ids after newer ones from another edge. The live stream resumes from a
 * position in this log instead — (seq, position of the event in the commit) — which is exactly
 * commit order: `seq` is gap-free per tenant and taken from a counter row that stays locked until
 * the transaction commits, so a reader always sees a prefix of the log.
 *
 * The arrays name the events of the commit in the order they were sent (the edge's order per
 * machine); `times` lets a replay reach each event through its table's (tenant_id, event_id, time)
 * unique index. Kept for a resume window (LIVE_RESUME_WINDOW in the cloud), not for history.
 */
export const eventStreams = pgTable('event_streams', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
});

export const eventCommits = pgTable(
  'event_commits',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull().defaultNow(),
    eventIds: uuid('event_ids').array().notNull(),
    times: timestamp('times', { withTimezone: true }).array().notNull(),
    kinds: text('kinds').array().notNull(),
  },
  (t) => [
    primaryKey({ name: 'event_commits_pkey', columns: [t.tenantId, t.seq] }),
    index('event_commits_committed_at_idx').on(t.tenantId, t.committedAt),
  ],
);

/** The hypertables, for the migration and the tests that check them. */
export const eventHypertables = [
  'machine_state_events',
  'production_counts',
  'qr_code_scans',
  'sensor_readings',
] as const;
