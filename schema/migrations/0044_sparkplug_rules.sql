CREATE TABLE "sparkplug_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"group_id" text NOT NULL,
	"node_id" text NOT NULL,
	"device_id" text,
	"metric" text NOT NULL,
	"kind" text NOT NULL,
	"states" jsonb,
	"offline_state" text,
	"count_kind" text,
	"telemetry_name" text,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sparkplug_rules_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "sparkplug_rules_metric_key" UNIQUE NULLS NOT DISTINCT("tenant_id","group_id","node_id","device_id","metric"),
	CONSTRAINT "sparkplug_rules_kind" CHECK ("kind" in ('state', 'count', 'telemetry')),
	CONSTRAINT "sparkplug_rules_settings" CHECK (CASE "sparkplug_rules"."kind"
        WHEN 'state' THEN "sparkplug_rules"."count_kind" IS NULL AND "sparkplug_rules"."telemetry_name" IS NULL
          AND ("sparkplug_rules"."states" IS NULL OR jsonb_typeof("sparkplug_rules"."states") = 'object')
          AND ("sparkplug_rules"."offline_state" IS NULL OR length("sparkplug_rules"."offline_state") BETWEEN 1 AND 64)
        WHEN 'count' THEN "sparkplug_rules"."count_kind" IN ('good', 'scrap') AND "sparkplug_rules"."states" IS NULL AND "sparkplug_rules"."telemetry_name" IS NULL
          AND "sparkplug_rules"."offline_state" IS NULL
        ELSE "sparkplug_rules"."telemetry_name" ~ '^[A-Za-z0-9_.-]{1,64}$' AND "sparkplug_rules"."states" IS NULL AND "sparkplug_rules"."count_kind" IS NULL
          AND "sparkplug_rules"."offline_state" IS NULL END),
	CONSTRAINT "sparkplug_rules_ids" CHECK ("sparkplug_rules"."group_id" ~ '^[^/+#]{1,255}$' AND "sparkplug_rules"."node_id" ~ '^[^/+#]{1,255}$'
        AND ("sparkplug_rules"."device_id" IS NULL OR "sparkplug_rules"."device_id" ~ '^[^/+#]{1,255}$')
        AND length("sparkplug_rules"."metric") BETWEEN 1 AND 255)
);
--> statement-breakpoint
ALTER TABLE "sparkplug_rules" ADD CONSTRAINT "sparkplug_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sparkplug_rules" ADD CONSTRAINT "sparkplug_rules_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sparkplug_rules" ADD CONSTRAINT "sparkplug_rules_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sparkplug_rules" ADD CONSTRAINT "sparkplug_rules_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sparkplug_rules" ADD CONSTRAINT "sparkplug_rules_updated_by_fk" FOREIGN KEY ("tenant_id","updated_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sparkplug_rules_plant_idx" ON "sparkplug_rules" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "sparkplug_rules_line_idx" ON "sparkplug_rules" USING btree ("tenant_id","plant_id","line_id");--> statement-breakpoint
CREATE INDEX "sparkplug_rules_machine_idx" ON "sparkplug_rules" USING btree ("tenant_id","machine_id");--> statement-breakpoint
CREATE INDEX "sparkplug_rules_updated_by_idx" ON "sparkplug_rules" USING btree ("tenant_id","updated_by");--> statement-breakpoint
-- Hand-written: row-level security like telemetry_deadbands, plant-scoped, so an edge's API key (and a
-- user limited to some plants) sees only the rules of its plants.
SELECT plantline.apply_tenant_rls('sparkplug_rules', 'tenant_id', 'plant_id');
