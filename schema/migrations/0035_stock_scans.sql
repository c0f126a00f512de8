CREATE TABLE "consumption_scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"scan_event_id" uuid NOT NULL,
	"station" text NOT NULL,
	"data" text NOT NULL,
	"result" text NOT NULL,
	"message" text NOT NULL,
	"production_order_id" uuid,
	"order_number" text,
	"material_id" uuid,
	"lot_id" uuid,
	"location_id" uuid,
	"quantity" numeric,
	"movement_id" uuid,
	"detail" jsonb,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "consumption_scans_result_check" CHECK ("result" in ('ok', 'wrong_item', 'wrong_lot', 'expired', 'over_quantity', 'unreadable', 'no_task'))
);
--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD COLUMN "line_id" uuid;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_order_fk" FOREIGN KEY ("tenant_id","production_order_id") REFERENCES "public"."production_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_lot_fk" FOREIGN KEY ("tenant_id","material_id","lot_id") REFERENCES "public"."material_lots"("tenant_id","material_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumption_scans" ADD CONSTRAINT "consumption_scans_location_fk" FOREIGN KEY ("tenant_id","plant_id","location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consumption_scans_event_key" ON "consumption_scans" USING btree ("tenant_id","scan_event_id");--> statement-breakpoint
CREATE INDEX "consumption_scans_plant_idx" ON "consumption_scans" USING btree ("tenant_id","plant_id","at");--> statement-breakpoint
CREATE INDEX "consumption_scans_machine_idx" ON "consumption_scans" USING btree ("tenant_id","machine_id","at");--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD CONSTRAINT "inventory_locations_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_locations_line_key" ON "inventory_locations" USING btree ("tenant_id","plant_id","line_id") WHERE "inventory_locations"."line_id" is not null;--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD CONSTRAINT "inventory_locations_line_check" CHECK ("inventory_locations"."line_id" is null or "inventory_locations"."kind" = 'production');--> statement-breakpoint
-- Hand-written (docs/materials.md, "Consuming at a machine"): a consumption scan belongs to the
-- machine's plant, and it is a record of what an operator did at a station, written once.
SELECT plantline.apply_tenant_rls('consumption_scans', 'tenant_id', 'plant_id');
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON consumption_scans FROM plantline_app;
