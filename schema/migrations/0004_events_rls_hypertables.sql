-- Hand-written: row-level security for master data and plant events, and the event tables as
-- TimescaleDB hypertables where the extension exists (docs/architecture.md, "The database"). On a
-- plain PostgreSQL server they stay ordinary tables with the same names, columns and indexes.
SELECT plantline.apply_tenant_rls('areas', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('lines', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('machines', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('stations', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('unassigned_events', 'tenant_id', 'plant_id');
--> statement-breakpoint
-- Partitioned by event time in one-day chunks (a plant's events of one day stay together, and
-- retention drops whole chunks). Retention: 400 days, so a year-on-year comparison always has its
-- year. NO compression (columnstore): TimescaleDB refuses row-level security on a hypertable with
-- compression enabled, and tenant isolation wins (docs/security.md, "Tenancy"). Revisit when
-- TimescaleDB supports both, or move aged data to per-tenant compressed storage. EXECUTE keeps the
-- TimescaleDB functions from being resolved on a server that lacks them.
DO $$
DECLARE
  tbl text;
BEGIN
  IF plantline.has_timescaledb() THEN
    FOREACH tbl IN ARRAY ARRAY['machine_state_events', 'production_counts', 'qr_code_scans', 'sensor_readings'] LOOP
      EXECUTE format('SELECT create_hypertable(%L::regclass, by_range(%L, INTERVAL %L))', tbl, 'time', '1 day');
      EXECUTE format('SELECT add_retention_policy(%L::regclass, INTERVAL %L)', tbl, '400 days');
    END LOOP;
  END IF;
END $$;
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('machine_state_events', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('production_counts', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('qr_code_scans', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('sensor_readings', 'tenant_id', 'plant_id');
