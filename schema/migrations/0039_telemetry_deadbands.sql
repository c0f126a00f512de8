CREATE TABLE "telemetry_deadbands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid,
	"machine_id" uuid,
	"metric" text,
	"mode" text NOT NULL,
	"deadband" double precision NOT NULL,
	"heartbeat_s" integer,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telemetry_deadbands_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "telemetry_deadbands_scope_key" UNIQUE NULLS NOT DISTINCT("tenant_id","plant_id","line_id","machine_id","metric"),
	CONSTRAINT "telemetry_deadbands_machine_needs_line" CHECK ("telemetry_deadbands"."machine_id" IS NULL OR "telemetry_deadbands"."line_id" IS NOT NULL),
	CONSTRAINT "telemetry_deadbands_mode" CHECK ("mode" in ('absolute', 'percent', 'off')),
	CONSTRAINT "telemetry_deadbands_settings" CHECK (CASE WHEN "telemetry_deadbands"."mode" = 'off' THEN "telemetry_deadbands"."deadband" = 0 AND "telemetry_deadbands"."heartbeat_s" IS NULL
        ELSE "telemetry_deadbands"."deadband" >= 0 AND "telemetry_deadbands"."deadband" <= CASE WHEN "telemetry_deadbands"."mode" = 'percent' THEN 100 ELSE 1e12 END
          AND "telemetry_deadbands"."heartbeat_s" BETWEEN 1 AND 86400 END),
	CONSTRAINT "telemetry_deadbands_metric" CHECK ("telemetry_deadbands"."metric" ~ '^[A-Za-z0-9_.-]{1,64}$')
);
--> statement-breakpoint
ALTER TABLE "telemetry_deadbands" ADD CONSTRAINT "telemetry_deadbands_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_deadbands" ADD CONSTRAINT "telemetry_deadbands_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_deadbands" ADD CONSTRAINT "telemetry_deadbands_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_deadbands" ADD CONSTRAINT "telemetry_deadbands_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_deadbands" ADD CONSTRAINT "telemetry_deadbands_updated_by_fk" FOREIGN KEY ("tenant_id","updated_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "telemetry_deadbands_machine_idx" ON "telemetry_deadbands" USING btree ("tenant_id","machine_id");--> statement-breakpoint
CREATE INDEX "telemetry_deadbands_updated_by_idx" ON "telemetry_deadbands" USING btree ("tenant_id","updated_by");--> statement-breakpoint
-- Hand-written: row-level security like device_credentials, plant-scoped, so an edge's API key (and a
-- user limited to some plants) sees only the rules of its plants.
SELECT plantline.apply_tenant_rls('telemetry_deadbands', 'tenant_id', 'plant_id');
