-- Hand-written (docs/search.md): trigram indexes for code fragments. pg_trgm is a trusted contrib
-- extension on PostgreSQL 13 and later, so a database owner without superuser may create it; the
-- embedded engine loads it as a bundled extension (cloud/src/db/embedded.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
