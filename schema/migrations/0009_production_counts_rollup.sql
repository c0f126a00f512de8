-- Hand-written (docs/kpis.md, "API"): a rollup of production_counts in quarter-hour buckets, so
-- long OEE windows read one row per machine, product and quarter hour instead of one per count
-- (quarter hours because shift, break and planned-downtime edges fall on them: a bucket cut by one
-- is read raw). The same relation on every engine, and a plain table on purpose rather than a
-- TimescaleDB continuous aggregate or a materialized view:
--  * neither of those accepts row-level security (TimescaleDB answers "cannot alter only SET options
--    of a continuous aggregate"), so every tenant's rows would sit one missing WHERE away from the
--    application role; a table takes the same forced tenant/plant policy as the raw hypertable;
--  * the embedded engine (PGlite, one process) never runs refresh policies — measured: a policy with
--    a 1 s schedule had total_runs NULL after 8 s — so the application refreshes on every engine;
--  * exactness: the refresh records which commits of the tenant's commit log (event_commits) it has
--    folded in, so the query path knows which buckets late events have changed since (cloud
--    src/modules/kpi/rollups.ts). A continuous aggregate's watermark cannot tell a query which of its
--    older buckets late rows have made stale until the next refresh.
-- first_time keeps the earliest count of the bucket: the OEE source stamps each sum with it.
CREATE TABLE production_counts_15m (
  tenant_id uuid NOT NULL,
  plant_id uuid NOT NULL,
  machine_id uuid NOT NULL,
  product_code text,
  bucket timestamptz NOT NULL,
  good bigint NOT NULL,
  scrap bigint NOT NULL,
  n bigint NOT NULL,
  first_time timestamptz NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX production_counts_15m_key ON production_counts_15m (machine_id, bucket, product_code) NULLS NOT DISTINCT;
--> statement-breakpoint
CREATE INDEX production_counts_15m_tenant_bucket_idx ON production_counts_15m (tenant_id, bucket);
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('production_counts_15m', 'tenant_id', 'plant_id');
--> statement-breakpoint
-- Only the refresh (the owner) adds or removes rollup rows; the application role reads them through
-- the policy. UPDATE stays granted as on tenants: the forced policy confines it to the caller's own
-- tenant and plants (and db/rls.test.ts probes every tenant table with a plain UPDATE).
REVOKE INSERT, DELETE ON production_counts_15m FROM plantline_app;
--> statement-breakpoint
-- Per tenant and rollup: every bucket before refreshed_through is in the rollup as of commit
-- folded_seq of the tenant's commit log; commits after it name the buckets to read raw instead.
CREATE TABLE rollup_state (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  relation text NOT NULL,
  refreshed_through timestamptz NOT NULL,
  folded_seq bigint NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, relation)
);
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('rollup_state');
--> statement-breakpoint
REVOKE INSERT, DELETE ON rollup_state FROM plantline_app;
--> statement-breakpoint
-- The refresh reads time ranges of all machines at once. Hypertables have TimescaleDB's time index;
-- a plain server table only has (machine_id, time), so it gets a BRIN index: a few pages for an
-- append-mostly table, next to nothing on the ingest path.
DO $$ BEGIN
  IF NOT plantline.has_timescaledb() THEN
    CREATE INDEX production_counts_time_brin ON production_counts USING brin (time);
  END IF;
END $$;
