-- Hand-written (docs/security.md, "Roles and permissions"): what each built-in role of a tenant has
-- been offered is the tenant's own, like the roles themselves.
SELECT plantline.apply_tenant_rls('role_permission_offers');
