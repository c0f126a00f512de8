-- Hand-written (docs/search.md): triggers that keep search_documents in step with the records it
-- indexes, the lookup behind the search API, and the tables registered today. A later domain joins
-- with one `SELECT plantline.register_search(...)` line in its own migration and one entry in the
-- cloud's registry (cloud/src/modules/search/registry.ts).
--
-- The indexed values of a record under the alias `alias`, as a select list: plant, code, title and
-- body. `spec` is the trigger's arguments: entity type, code column, title column, body columns
-- (an array literal) and plant column, '' for none. Identifiers are quoted here, once.
CREATE FUNCTION plantline.search_fields_of(spec text[], alias text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  body_columns text[] := spec[4]::text[];
  body text;
BEGIN
  IF cardinality(body_columns) > 0 THEN
    SELECT format('nullif(concat_ws(%L, %s), %L)', ' ', string_agg(format('%I.%I::text', alias, c), ', ' ORDER BY o), '')
      INTO body FROM unnest(body_columns) WITH ORDINALITY AS u(c, o);
  END IF;
  RETURN concat_ws(', ',
    CASE WHEN spec[5] = '' THEN 'NULL::uuid' ELSE format('%I.%I::uuid', alias, spec[5]) END,
    CASE WHEN spec[2] = '' THEN 'NULL::text' ELSE format('%I.%I::text', alias, spec[2]) END,
    CASE WHEN spec[3] = '' THEN 'NULL::text' ELSE format('%I.%I::text', alias, spec[3]) END,
    coalesce(body, 'NULL::text'));
END $$;
--> statement-breakpoint
-- The custom text of one record: its text and long-text custom values in field order (long ones cut
-- short: the words that find a record are rarely past the first paragraph). Each value is a primary
-- key lookup of field_values, so this stays cheap however many values the tenant has.
CREATE FUNCTION plantline.search_custom_text(p_tenant uuid, p_entity_type text, p_entity uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT nullif(string_agg(left(coalesce(v.text_value, v.long_value), 2000), ' ' ORDER BY f.sort_order, f.key), '')
    FROM public.custom_fields f
    JOIN public.field_values v ON v.tenant_id = f.tenant_id AND v.field_id = f.id AND v.entity_id = p_entity
   WHERE f.tenant_id = p_tenant AND f.entity_type = p_entity_type AND f.type IN ('text', 'long_text')
$$;
--> statement-breakpoint
-- The one trigger function of every registered table: statement-level with transition tables, so a
-- bulk insert is one set-based upsert rather than a call per row. It runs as the role that made the
-- change, under row-level security: the document it writes has the record's own tenant and plant,
-- which that role could write, so the policy's WITH CHECK holds. An update whose indexed values did
-- not change (an order's status, a user's last sign-in) writes nothing.
CREATE FUNCTION plantline.search_index_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV counts from 0; spec, like every array here, from 1.
  spec text[] := ARRAY[TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], TG_ARGV[4]];
  upsert constant text := 'INSERT INTO public.search_documents AS d'
    || ' (tenant_id, entity_type, entity_id, plant_id, code, title, body)'
    || ' SELECT r.tenant_id, %L, r.id::text, %s FROM %s'
    || ' ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET plant_id = excluded.plant_id,'
    || ' code = excluded.code, title = excluded.title, body = excluded.body, updated_at = now()';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format(upsert, spec[1], plantline.search_fields_of(spec, 'r'), 'new_rows r');
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format(upsert, spec[1], plantline.search_fields_of(spec, 'r'),
      format('new_rows r JOIN old_rows o ON o.id = r.id WHERE (%s) IS DISTINCT FROM (%s)',
        plantline.search_fields_of(spec, 'r'), plantline.search_fields_of(spec, 'o')));
  ELSE
    EXECUTE format('DELETE FROM public.search_documents d USING old_rows o'
      || ' WHERE d.tenant_id = o.tenant_id AND d.entity_type = %L AND d.entity_id = o.id::text', spec[1]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Registers a table for search: its records are found as `entity_type` by the code, title and body
-- columns named (NULL: none), in the plant of `plant_column` (NULL: tenant-wide). The table needs
-- `id` and `tenant_id`. Installs the triggers (registering again replaces them) and indexes the
-- rows already there, tenant by tenant within each tenant's scope, so a migration owner that is not
-- a superuser passes the forced policies too.
CREATE FUNCTION plantline.register_search(tbl regclass, entity_type text, code_column text,
  title_column text, body_columns text[] DEFAULT '{}', plant_column text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  spec text[] := ARRAY[entity_type, coalesce(code_column, ''), coalesce(title_column, ''),
    coalesce(body_columns, '{}')::text, coalesce(plant_column, '')];
  args text;
  missing text;
  tenant uuid;
  saved_tenant text := current_setting('plantline.tenant_id', true);
  saved_all text := current_setting('plantline.all_plants', true);
BEGIN
  SELECT string_agg(c, ', ') INTO missing
    FROM unnest(ARRAY['id', 'tenant_id', code_column, title_column, plant_column] || body_columns) AS c
   WHERE c IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'register_search(%): % has no column %', entity_type, tbl, missing;
  END IF;
  SELECT string_agg(quote_literal(a), ', ') INTO args FROM unnest(spec) AS a;
  EXECUTE format('CREATE OR REPLACE TRIGGER search_index_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
    || ' FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_index_sync(%s)', tbl, args);
  EXECUTE format('CREATE OR REPLACE TRIGGER search_index_update AFTER UPDATE ON %s'
    || ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
    || ' FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_index_sync(%s)', tbl, args);
  EXECUTE format('CREATE OR REPLACE TRIGGER search_index_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
    || ' FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_index_sync(%s)', tbl, args);
  FOR tenant IN SELECT id FROM public.tenants LOOP
    PERFORM set_config('plantline.tenant_id', tenant::text, true), set_config('plantline.all_plants', 'on', true);
    EXECUTE format('INSERT INTO public.search_documents AS d'
      || ' (tenant_id, entity_type, entity_id, plant_id, code, title, body, custom_text)'
      || ' SELECT r.tenant_id, %L, r.id::text, %s, plantline.search_custom_text(r.tenant_id, %L, r.id)'
      || ' FROM %s r WHERE r.tenant_id = $1'
      || ' ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET plant_id = excluded.plant_id,'
      || ' code = excluded.code, title = excluded.title, body = excluded.body,'
      || ' custom_text = excluded.custom_text, updated_at = now()',
      entity_type, plantline.search_fields_of(spec, 'r'), entity_type, tbl) USING tenant;
  END LOOP;
  PERFORM set_config('plantline.tenant_id', coalesce(saved_tenant, ''), true),
    set_config('plantline.all_plants', coalesce(saved_all, ''), true);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.register_search(regclass, text, text, text, text[], text) FROM PUBLIC;
--> statement-breakpoint
-- Custom values (docs/configuration.md): a change of a text or long-text value rewrites the owning
-- record's custom_text. A number or date changing writes nothing; a value that stops being text (a
-- field's type changed) counts, so its words leave the index.
CREATE FUNCTION plantline.search_custom_text_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE public.search_documents d
       SET custom_text = plantline.search_custom_text(c.tenant_id, c.entity_type, c.entity_id), updated_at = now()
      FROM (SELECT DISTINCT f.tenant_id, f.entity_type, n.entity_id FROM new_rows n
              JOIN public.custom_fields f ON f.tenant_id = n.tenant_id AND f.id = n.field_id
             WHERE n.text_value IS NOT NULL OR n.long_value IS NOT NULL) c
     WHERE d.tenant_id = c.tenant_id AND d.entity_type = c.entity_type AND d.entity_id = c.entity_id::text;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE public.search_documents d
       SET custom_text = plantline.search_custom_text(c.tenant_id, c.entity_type, c.entity_id), updated_at = now()
      FROM (SELECT DISTINCT f.tenant_id, f.entity_type, n.entity_id FROM new_rows n
              JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.field_id = n.field_id AND o.entity_id = n.entity_id
              JOIN public.custom_fields f ON f.tenant_id = n.tenant_id AND f.id = n.field_id
             WHERE (n.text_value, n.long_value) IS DISTINCT FROM (o.text_value, o.long_value)) c
     WHERE d.tenant_id = c.tenant_id AND d.entity_type = c.entity_type AND d.entity_id = c.entity_id::text;
  ELSE
    UPDATE public.search_documents d
       SET custom_text = plantline.search_custom_text(c.tenant_id, c.entity_type, c.entity_id), updated_at = now()
      FROM (SELECT DISTINCT f.tenant_id, f.entity_type, o.entity_id FROM old_rows o
              JOIN public.custom_fields f ON f.tenant_id = o.tenant_id AND f.id = o.field_id
             WHERE o.text_value IS NOT NULL OR o.long_value IS NOT NULL) c
     WHERE d.tenant_id = c.tenant_id AND d.entity_type = c.entity_type AND d.entity_id = c.entity_id::text;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER search_custom_text_insert AFTER INSERT ON field_values REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_custom_text_sync();
--> statement-breakpoint
CREATE TRIGGER search_custom_text_update AFTER UPDATE ON field_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_custom_text_sync();
--> statement-breakpoint
CREATE TRIGGER search_custom_text_delete AFTER DELETE ON field_values REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.search_custom_text_sync();
--> statement-breakpoint
-- Reading. PostgreSQL uses an operator as an index condition under row-level security only if it is
-- leakproof, and the full-text (@@), LIKE and trigram operators are not: as the application role,
-- every fragment or word lookup would read the tenant's whole index. So the lookup runs as the owner
-- (SECURITY DEFINER, like the sign-in lookups of 0001), which this read-only policy lets past the
-- forced policy, and it applies the same tenant and plant conditions itself. It returns only keys
-- and scores; the cloud reads the documents themselves as the application role, under the policy.
DO $$ BEGIN
  EXECUTE format('CREATE POLICY owner_search_lookup ON search_documents FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
-- One stage of the search (docs/search.md, "Matching and ranking"), at most `p_cap` results, best
-- first, among the types in `p_types`:
--   code     the normalised code equals `p_term` (letters and digits, upper case);
--   prefix   the normalised code starts with `p_term` (the code itself excluded), in code order;
--   text     the document matches the tsquery `p_term` (built by the cloud), ranked among at most
--            `p_pool` matches rather than all of them;
--   fragment the normalised code contains `p_term`'s letters and digits, or the lower-case title
--            contains `p_term` if it is one word (3 characters or more each, or the trigram index
--            cannot narrow it), ranked by trigram similarity among `p_pool`;
--   similar  a word of the title is like `p_term` (pg_trgm's word similarity): typos.
CREATE FUNCTION plantline.search_candidates(p_stage text, p_term text, p_types text[], p_cap integer,
  p_pool integer DEFAULT 200)
RETURNS TABLE (entity_type text, entity_id text, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  tenant uuid := plantline.current_tenant_id();
  all_plants boolean := plantline.all_plants();
  plant_ids uuid[] := plantline.current_plant_ids();
  -- search_documents' policy (0016), spelt out.
  visible constant text := 'd.tenant_id = $1 AND (d.plant_id IS NULL OR $2 OR d.plant_id = ANY ($3))'
    || ' AND d.entity_type = ANY ($4)';
  cap integer := least(greatest(coalesce(p_cap, 0), 0), 200);
  pool integer := least(greatest(coalesce(p_pool, 0), cap), 1000);
  norm text := upper(regexp_replace(coalesce(p_term, ''), '[^A-Za-z0-9]', '', 'g'));
  fragment text := lower(coalesce(p_term, ''));
  conditions text[] := '{}';
BEGIN
  IF tenant IS NULL OR cap = 0 OR coalesce(p_term, '') = '' OR p_types IS NULL THEN
    RETURN;
  END IF;
  CASE p_stage
  WHEN 'code' THEN
    RETURN QUERY EXECUTE 'SELECT d.entity_type, d.entity_id, 1::real FROM search_documents d WHERE '
      || visible || ' AND d.code_norm = $5 ORDER BY d.entity_type, d.entity_id LIMIT $6'
      USING tenant, all_plants, plant_ids, p_types, norm, cap;
  WHEN 'prefix' THEN
    -- The pattern is letters and digits only, so nothing in it is a LIKE wildcard.
    RETURN QUERY EXECUTE 'SELECT d.entity_type, d.entity_id, 1::real FROM search_documents d WHERE '
      || visible || ' AND d.code_norm LIKE $5 AND d.code_norm <> $6 ORDER BY d.code_norm USING ~<~ LIMIT $7'
      USING tenant, all_plants, plant_ids, p_types, norm || '%', norm, cap;
  WHEN 'text' THEN
    RETURN QUERY EXECUTE 'SELECT c.entity_type, c.entity_id, ts_rank(c.tsv, to_tsquery(''simple'', $5)) FROM ('
      || ' SELECT d.entity_type, d.entity_id, d.tsv FROM search_documents d WHERE ' || visible
      || ' AND d.tsv @@ to_tsquery(''simple'', $5) LIMIT $7) c'
      || ' ORDER BY 3 DESC, c.entity_type, c.entity_id LIMIT $6'
      USING tenant, all_plants, plant_ids, p_types, p_term, cap, pool;
  WHEN 'fragment' THEN
    -- The index narrows by the code's last six characters and the whole is checked on the rows it
    -- gives: every trigram of a long fragment is another posting list to intersect, and the
    -- selective part of a document number is its tail (the sequence). Titles are searched for a
    -- fragment of one word ("otor" of rotor); words with spaces between are the text stage's.
    IF length(norm) >= 3 THEN
      conditions := array_append(conditions,
        '(d.code_norm LIKE ''%'' || right($5, 6) || ''%'' AND strpos(d.code_norm, $5) > 0)');
    END IF;
    IF fragment ~ '^[[:alnum:]]{3,}$' THEN
      conditions := array_append(conditions, 'lower(d.title) LIKE ''%'' || $6 || ''%''');
    END IF;
    IF cardinality(conditions) = 0 THEN
      RETURN;
    END IF;
    RETURN QUERY EXECUTE 'SELECT c.entity_type, c.entity_id, c.score FROM ('
      || ' SELECT d.entity_type, d.entity_id, greatest(similarity(d.code_norm, $5),'
      || ' similarity(lower(d.title), $6)) AS score FROM search_documents d WHERE ' || visible
      || ' AND (' || array_to_string(conditions, ' OR ') || ') LIMIT $8) c'
      || ' ORDER BY c.score DESC, c.entity_type, c.entity_id LIMIT $7'
      USING tenant, all_plants, plant_ids, p_types, norm, fragment, cap, pool;
  WHEN 'similar' THEN
    IF fragment !~ '[[:alnum:]]{3}' THEN
      RETURN;
    END IF;
    RETURN QUERY EXECUTE 'SELECT c.entity_type, c.entity_id, c.score FROM ('
      || ' SELECT d.entity_type, d.entity_id, word_similarity($5, lower(d.title)) AS score'
      || ' FROM search_documents d WHERE ' || visible || ' AND $5 <% lower(d.title) LIMIT $7) c'
      || ' ORDER BY c.score DESC, c.entity_type, c.entity_id LIMIT $6'
      USING tenant, all_plants, plant_ids, p_types, fragment, cap, pool;
  ELSE
    RAISE EXCEPTION 'search_candidates: no stage %', p_stage USING ERRCODE = 'invalid_parameter_value';
  END CASE;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.search_candidates(text, text, text[], integer, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION plantline.search_candidates(text, text, text[], integer, integer) TO plantline_app;
--> statement-breakpoint
-- The records people look up today. Orders have no name of their own: they are found by number and
-- note. Users are found by name and email, tenant-wide like roles and the catalogues.
SELECT plantline.register_search('production_orders', 'production_order', 'number', NULL, '{note}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('products', 'product', 'code', 'name', '{unit}');
--> statement-breakpoint
SELECT plantline.register_search('plants', 'plant', 'code', 'name', '{timezone}', 'id');
--> statement-breakpoint
SELECT plantline.register_search('areas', 'area', 'code', 'name', '{}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('lines', 'line', 'code', 'name', '{}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('machines', 'machine', 'code', 'name', '{}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('stations', 'station', 'code', 'name', '{}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('downtime_reasons', 'downtime_reason', 'code', 'name', '{category}');
--> statement-breakpoint
SELECT plantline.register_search('defect_codes', 'defect_code', 'code', 'name', '{category,severity}');
--> statement-breakpoint
SELECT plantline.register_search('inspection_plans', 'inspection_plan', 'code', 'name');
--> statement-breakpoint
SELECT plantline.register_search('type_lists', 'type_list', 'code', 'name', '{description}');
--> statement-breakpoint
SELECT plantline.register_search('custom_fields', 'custom_field', 'key', 'label', '{help_text,group_name}', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('users', 'user', 'email', 'display_name');
--> statement-breakpoint
SELECT plantline.register_search('roles', 'role', 'key', 'name', '{description}');
