-- A tenant suspended by the operator (`pnpm tenant suspend`, docs/security.md, "Tenants"): every
-- caller lookup and sign-in of the tenant is refused while suspended_at is set.
ALTER TABLE "tenants" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "suspended_reason" text;--> statement-breakpoint
-- Only the owner changes a tenant: the application role, which a tenant's administrator acts
-- through, could otherwise lift its own suspension. Nothing in the application updates tenants.
REVOKE UPDATE ON tenants FROM plantline_app;
