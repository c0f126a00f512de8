-- Hand-written (docs/security.md, "KPI master data and quality"): row-level security for the KPI
-- master data and quality records. Tenant-wide catalogues (products, state mapping, reasons,
-- routings, defect codes, inspection plans) are tenant-scoped; calendars, cycle times, planned
-- downtimes and inspections follow plant access.
SELECT plantline.apply_tenant_rls('products', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('state_loss_mapping', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('downtime_reasons', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('ideal_cycle_times', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('shift_patterns', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('shift_pattern_shifts', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('shifts', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('planned_downtimes', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('routings', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('routing_operations', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('defect_codes', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inspection_plans', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inspection_characteristics', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inspections', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inspection_results', 'tenant_id', 'plant_id');
--> statement-breakpoint
-- Tenants created before this migration get the default state mapping that createTenant now gives
-- every new tenant (cloud/src/modules/production/defaults.ts, DEFAULT_STATE_CODES; OEE means nothing
-- without it). Forced row-level security binds the owner too, so each tenant's rows are written in
-- that tenant's scope. Codes a tenant already has are left alone.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('plantline.tenant_id', t.id::text, true);
    INSERT INTO state_loss_mapping (tenant_id, code, name, colour, bucket)
    VALUES
      (t.id, 'RUNNING', 'Running', '#22c55e', 'running'),
      (t.id, 'REDUCED_SPEED', 'Reduced speed', '#eab308', 'performance_loss'),
      (t.id, 'MICROSTOP', 'Microstop', '#f97316', 'performance_loss'),
      (t.id, 'DOWN', 'Down', '#ef4444', 'availability_loss'),
      (t.id, 'CHANGEOVER', 'Changeover', '#a855f7', 'availability_loss'),
      (t.id, 'PLANNED_STOP', 'Planned stop', '#64748b', 'planned_stop')
    ON CONFLICT (tenant_id, code) DO NOTHING;
  END LOOP;
  PERFORM set_config('plantline.tenant_id', '', true);
END $$;
