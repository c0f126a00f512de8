-- Hand-written (docs/audit.md, docs/notifications.md, docs/search.md): row-level security for the
-- audit trail, notifications, search and tenant settings, and the audit trail's append-only layers.
SELECT plantline.apply_tenant_rls('audit_chain_heads', 'tenant_id');
--> statement-breakpoint
-- Entries about a plant's records are that plant's; tenant-wide ones (users, roles) everyone with
-- audit.read sees. Verification reads the whole chain with every plant in scope (modules/audit).
SELECT plantline.apply_optional_plant_rls('audit_log');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('audit_checkpoints', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('audit_verifications', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('system_settings', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('notifications');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('notification_deliveries', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('notification_preferences', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('notification_digests', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_optional_plant_rls('search_documents');
--> statement-breakpoint
-- Append-only, layer one: the application role may add entries and read them, nothing else. The
-- default privileges of the security migration granted UPDATE and DELETE; take them back. The chain
-- head is the one audit table the application updates.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_checkpoints, audit_verifications FROM plantline_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON audit_chain_heads FROM plantline_app;
--> statement-breakpoint
-- Layer two: triggers refuse changes even to roles that hold the privilege (the owner). Row triggers
-- do not fire on TRUNCATE, so a statement trigger guards that. A superuser can still disable them;
-- the hash chain and the signed checkpoints are what show it (docs/audit.md, "What proves what").
CREATE FUNCTION plantline.refuse_audit_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.refuse_audit_rewrite();
