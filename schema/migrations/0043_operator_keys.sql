-- The installation's operator keys, outside every tenant (docs/security.md, "Tenants"). No tenant
-- column and no policy: the application role, which every tenant's call runs as, may not touch the
-- table at all; the system API looks keys up as the owner.
CREATE TABLE "operator_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "operator_keys_prefix_unique" UNIQUE("prefix"),
	CONSTRAINT "operator_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
REVOKE ALL ON operator_keys FROM plantline_app;
