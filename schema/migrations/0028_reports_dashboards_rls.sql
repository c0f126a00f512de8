-- Hand-written (docs/reports.md, docs/dashboards.md): row-level security for reports and
-- dashboards, their append-only version histories, and search registration.
--
-- Report definitions, their versions and dashboards are tenant-wide: who may open a dashboard is the
-- dashboards module's rule (owner, shared roles), and what any widget or report shows is read
-- through plant-scoped tables. Runs and schedules are their plant's; those with no plant cover every
-- plant and are seen only by people who reach every plant (a null plant matches no plant list).
SELECT plantline.apply_tenant_rls('reports');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('report_versions');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('report_schedules', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('report_executions', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('dashboards');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('dashboard_shares');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('dashboard_versions');
--> statement-breakpoint
-- A saved version is history: restoring one saves it again as the newest.
REVOKE UPDATE, DELETE, TRUNCATE ON report_versions FROM plantline_app;
--> statement-breakpoint
CREATE TRIGGER report_versions_append_only BEFORE UPDATE ON report_versions
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON dashboard_versions FROM plantline_app;
--> statement-breakpoint
CREATE TRIGGER dashboard_versions_append_only BEFORE UPDATE ON dashboard_versions
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
SELECT plantline.register_search('reports', 'report', 'code', 'name', ARRAY['description']);
