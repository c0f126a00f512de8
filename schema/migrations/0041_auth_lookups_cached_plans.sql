-- Hand-written: the session and API-key lookups that open every call (cloud/src/modules/identity/
-- callers.ts) in PL/pgSQL instead of SQL. PostgreSQL plans the statement of a SQL function that is not
-- inlined (a SECURITY DEFINER one never is) afresh on every call; a PL/pgSQL function keeps its plan
-- for the connection's life, which took about half the lookup's cost off each call (docs/benchmarks.md,
-- `api`). Same signature, result, owner, grants and search path as 0001_security.sql; the sign-in
-- lookup by email runs once per sign-in and stays as it is.
CREATE OR REPLACE FUNCTION plantline.auth_session(p_token_hash text)
RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, is_current_token boolean,
               rotated_at timestamptz, idle_expires_at timestamptz, absolute_expires_at timestamptz,
               revoked_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ BEGIN
  RETURN QUERY
  SELECT s.id, s.tenant_id, s.user_id, s.token_hash = p_token_hash, s.rotated_at, s.idle_expires_at,
         s.absolute_expires_at, s.revoked_at
    FROM public.sessions s
   WHERE s.token_hash = p_token_hash
      OR (s.previous_token_hash = p_token_hash AND s.previous_valid_until > now());
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION plantline.auth_api_key(p_key_hash text)
RETURNS TABLE (api_key_id uuid, tenant_id uuid, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ BEGIN
  RETURN QUERY
  SELECT k.id, k.tenant_id, k.expires_at, k.revoked_at FROM public.api_keys k WHERE k.key_hash = p_key_hash;
END $$;
