-- Hand-written: TimescaleDB when the engine offers it (docs/architecture.md, "The database"). The
-- embedded engine always has it; a plain PostgreSQL server (many managed services) may not, and
-- Plantline runs there too: later migrations check for the extension before creating hypertables or
-- continuous aggregates. A server that ships the files without preloading the library refuses
-- CREATE EXTENSION; that is treated as "absent", not as a failed migration.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'timescaledb is installed but cannot be created here (%); continuing without it', SQLERRM;
    END;
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION plantline.has_timescaledb() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') $$;
