-- Hand-written: the application role, row-level security helpers and policies for identity and
-- tenancy (docs/security.md, "Tenancy"). Every statement is separated by a breakpoint because the
-- embedded engine executes one statement per call.

-- The role the application connects as. It owns nothing, so FORCE ROW LEVEL SECURITY and the
-- policies below always apply to it. Roles are cluster-wide: another Plantline database on the
-- same server may have created it already, possibly at this very moment.
DO $$ BEGIN
  CREATE ROLE plantline_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS plantline;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plantline_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA plantline TO plantline_app;
--> statement-breakpoint
-- Request scope, set per transaction with set_config(..., true) by the cloud (cloud/src/db/scope.ts).
CREATE FUNCTION plantline.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('plantline.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION plantline.current_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('plantline.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION plantline.current_plant_ids() RETURNS uuid[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(string_to_array(nullif(current_setting('plantline.plant_ids', true), ''), ',')::uuid[], '{}') $$;
--> statement-breakpoint
CREATE FUNCTION plantline.all_plants() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('plantline.all_plants', true), '') = 'on' $$;
--> statement-breakpoint
-- One definition of tenant isolation, applied to every tenant table by this and later migrations.
-- The scope functions are wrapped in sub-selects so the planner evaluates them once per query
-- (an init plan) instead of once per row, which matters on the hypertables.
CREATE FUNCTION plantline.apply_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id', plant_column text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cond text := format('%I = (SELECT plantline.current_tenant_id())', tenant_column);
BEGIN
  IF plant_column IS NOT NULL THEN
    cond := cond || format(
      ' AND ((SELECT plantline.all_plants()) OR %I = ANY ((SELECT plantline.current_plant_ids())::uuid[]))',
      plant_column);
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', tbl, cond, cond);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.apply_tenant_rls(regclass, text, text) FROM PUBLIC;
--> statement-breakpoint
-- The tenants table is keyed by id rather than tenant_id.
SELECT plantline.apply_tenant_rls('tenants', 'id');
--> statement-breakpoint
-- A user sees only the plants they have access to (or all, with plants.all).
SELECT plantline.apply_tenant_rls('plants', 'tenant_id', 'id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('users');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('sessions');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('roles');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('role_permissions');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('user_roles');
--> statement-breakpoint
-- Access grants are tenant-scoped, not plant-scoped: resolving a user's plants must read them
-- before any plant is in scope.
SELECT plantline.apply_tenant_rls('user_plant_access');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('api_keys');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('api_key_plants');
--> statement-breakpoint
-- Authentication has to find a user, session or API key before any tenant is known. These
-- three functions are the only way across tenants: they run as the owner (SECURITY DEFINER),
-- return only what sign-in needs, and the application role may execute nothing else of the kind.
-- FORCE ROW LEVEL SECURITY also binds the owner, so the owner gets a read-only policy on the
-- tables they read (a superuser owner bypasses RLS anyway). Owner maintenance that writes (seeding,
-- the permission catalogue) still has to set a tenant scope like the application does.
DO $$ BEGIN
  EXECUTE format('CREATE POLICY owner_auth_lookup ON tenants FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY owner_auth_lookup ON users FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY owner_auth_lookup ON sessions FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY owner_auth_lookup ON api_keys FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
CREATE FUNCTION plantline.auth_user_by_email(p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT u.id, u.tenant_id, u.password_hash, u.is_active FROM public.users u WHERE lower(u.email) = lower(p_email) $$;
--> statement-breakpoint
CREATE FUNCTION plantline.auth_session(p_token_hash text)
RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, is_current_token boolean,
               rotated_at timestamptz, idle_expires_at timestamptz, absolute_expires_at timestamptz,
               revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT s.id, s.tenant_id, s.user_id, s.token_hash = p_token_hash, s.rotated_at, s.idle_expires_at,
          s.absolute_expires_at, s.revoked_at
     FROM public.sessions s
    WHERE s.token_hash = p_token_hash
       OR (s.previous_token_hash = p_token_hash AND s.previous_valid_until > now()) $$;
--> statement-breakpoint
CREATE FUNCTION plantline.auth_api_key(p_key_hash text)
RETURNS TABLE (api_key_id uuid, tenant_id uuid, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT k.id, k.tenant_id, k.expires_at, k.revoked_at FROM public.api_keys k WHERE k.key_hash = p_key_hash $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.auth_user_by_email(text), plantline.auth_session(text), plantline.auth_api_key(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION plantline.auth_user_by_email(text), plantline.auth_session(text), plantline.auth_api_key(text) TO plantline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO plantline_app;
--> statement-breakpoint
-- Tables added by later migrations (run by the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO plantline_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO plantline_app;
--> statement-breakpoint
-- The catalogue is code-owned (synchronised by the migrator); tenants are created by the owner.
REVOKE INSERT, UPDATE, DELETE ON permissions FROM plantline_app;
--> statement-breakpoint
REVOKE INSERT, DELETE ON tenants FROM plantline_app;
