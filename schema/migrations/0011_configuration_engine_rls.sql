-- Hand-written (docs/configuration.md): row-level security for the configuration engine and
-- production orders. Definitions (fields, type lists, numbering schemes, their change history) are
-- tenant-wide.
SELECT plantline.apply_tenant_rls('type_lists', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('type_list_values', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('custom_fields', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('config_changes', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('numbering_sequences', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('production_orders', 'tenant_id', 'plant_id');
--> statement-breakpoint
-- Field values and numbering counters belong to a plant when their entity (or document) does, and to
-- the whole tenant when it has none (products, tenant-wide numbers): plant access applies only to the
-- former, so a user without access to a plant cannot read a machine's values there.
CREATE FUNCTION plantline.apply_optional_plant_rls(tbl regclass)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cond text := 'tenant_id = (SELECT plantline.current_tenant_id()) AND (plant_id IS NULL'
    || ' OR (SELECT plantline.all_plants()) OR plant_id = ANY ((SELECT plantline.current_plant_ids())::uuid[]))';
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', tbl, cond, cond);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.apply_optional_plant_rls(regclass) FROM PUBLIC;
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('field_values');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('numbering_counters');
