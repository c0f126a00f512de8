-- Hand-written (docs/workflows.md, docs/ncrs.md, docs/change-orders.md): row-level security for the
-- workflow engine, NCRs and change orders, the append-only layers of the workflow timeline and of
-- signatures, and search registration.
--
-- Definitions are tenant-wide. An instance and everything hanging off it (timeline, votes,
-- signatures, tasks) belongs to its record's plant, or to the whole tenant when the record has none.
SELECT plantline.apply_tenant_rls('workflows', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('workflow_versions', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('workflow_states', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('workflow_transitions', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('workflow_instances');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('workflow_events');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('approvals');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('electronic_signatures');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('workflow_action_keys', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('workflow_tasks');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('workflow_delegations', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('ncrs', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('ncr_inspections', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('change_orders');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('change_order_items');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('product_revisions', 'tenant_id');
--> statement-breakpoint
-- The timeline is append-only for the application: an instance's history is never rewritten, only
-- added to (21 CFR 11.10(e): changes shall not obscure previously recorded information).
REVOKE UPDATE, DELETE, TRUNCATE ON workflow_events FROM plantline_app;
--> statement-breakpoint
-- Signatures and votes are never deleted by the application; the one change allowed is voiding them,
-- and the triggers below refuse any other.
REVOKE DELETE, TRUNCATE ON electronic_signatures, approvals FROM plantline_app;
--> statement-breakpoint
CREATE FUNCTION plantline.refuse_signature_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.voided_at IS NOT NULL THEN
    RAISE EXCEPTION '%: a voided row never changes again', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Everything but the void columns must stay as signed.
  IF (to_jsonb(NEW) - 'voided_at' - 'void_reason') IS DISTINCT FROM (to_jsonb(OLD) - 'voided_at' - 'void_reason') THEN
    RAISE EXCEPTION '%: only voided_at and void_reason may change', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER electronic_signatures_void_only BEFORE UPDATE ON electronic_signatures
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_signature_rewrite();
--> statement-breakpoint
CREATE TRIGGER approvals_void_only BEFORE UPDATE ON approvals
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_signature_rewrite();
--> statement-breakpoint
CREATE TRIGGER workflow_events_append_only BEFORE UPDATE OR DELETE ON workflow_events
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
-- Every product starts its history at its current revision: tenant by tenant within that tenant's
-- scope, so a migration owner that is not a superuser passes the forced policies too.
DO $$
DECLARE tenant uuid;
BEGIN
  FOR tenant IN SELECT id FROM public.tenants LOOP
    PERFORM set_config('plantline.tenant_id', tenant::text, true), set_config('plantline.all_plants', 'on', true);
    INSERT INTO public.product_revisions (tenant_id, product_id, revision, effective_from, note)
      SELECT tenant_id, id, revision, created_at, 'Initial revision' FROM public.products WHERE tenant_id = tenant;
  END LOOP;
  PERFORM set_config('plantline.tenant_id', '', true), set_config('plantline.all_plants', '', true);
END $$;
--> statement-breakpoint
SELECT plantline.register_search('ncrs', 'ncr', 'number', 'title',
  ARRAY['description', 'containment', 'root_cause', 'lot', 'serial'], 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('change_orders', 'change_order', 'number', 'title',
  ARRAY['reason', 'description'], 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('workflows', 'workflow', 'key', 'name', ARRAY['description']);
