CREATE TABLE "station_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"shipment_id" uuid,
	"transfer_order_id" uuid,
	"package_id" uuid,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "station_tasks_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "station_tasks_station_key" UNIQUE("tenant_id","station_id"),
	CONSTRAINT "station_tasks_mode_check" CHECK ("mode" in ('pack', 'receive')),
	CONSTRAINT "station_tasks_target_check" CHECK (num_nonnulls("station_tasks"."shipment_id", "station_tasks"."transfer_order_id") = 1),
	CONSTRAINT "station_tasks_package_check" CHECK (("station_tasks"."mode" = 'pack') = ("station_tasks"."package_id" is not null)),
	CONSTRAINT "station_tasks_receive_check" CHECK ("station_tasks"."mode" = 'pack' or "station_tasks"."transfer_order_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD COLUMN "cancel_reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plants" ADD COLUMN "street" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plants" ADD COLUMN "postal_code" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plants" ADD COLUMN "city" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plants" ADD COLUMN "country" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plants" ADD COLUMN "gln" text;--> statement-breakpoint
ALTER TABLE "package_contents" ADD COLUMN "best_before" date;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_station_fk" FOREIGN KEY ("tenant_id","station_id") REFERENCES "public"."stations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_shipment_fk" FOREIGN KEY ("tenant_id","shipment_id") REFERENCES "public"."shipments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_transfer_fk" FOREIGN KEY ("tenant_id","transfer_order_id") REFERENCES "public"."transfer_orders"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_package_fk" FOREIGN KEY ("tenant_id","package_id") REFERENCES "public"."packages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_tasks" ADD CONSTRAINT "station_tasks_assigned_by_fk" FOREIGN KEY ("tenant_id","assigned_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "station_tasks_plant_idx" ON "station_tasks" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "station_tasks_shipment_idx" ON "station_tasks" USING btree ("tenant_id","shipment_id");--> statement-breakpoint
CREATE INDEX "station_tasks_transfer_idx" ON "station_tasks" USING btree ("tenant_id","transfer_order_id");--> statement-breakpoint
CREATE INDEX "station_tasks_package_idx" ON "station_tasks" USING btree ("tenant_id","package_id");--> statement-breakpoint
CREATE INDEX "station_tasks_assigned_by_idx" ON "station_tasks" USING btree ("tenant_id","assigned_by");--> statement-breakpoint
ALTER TABLE "plants" ADD CONSTRAINT "plants_gln_check" CHECK ("plants"."gln" is null or "plants"."gln" ~ '^[0-9]{13}$');