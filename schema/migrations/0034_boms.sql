CREATE TABLE "bom_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"bom_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"material_id" uuid NOT NULL,
	"quantity" numeric NOT NULL,
	"unit" text NOT NULL,
	"scrap_percent" numeric DEFAULT '0' NOT NULL,
	"backflush" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bom_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "bom_items_component_key" UNIQUE("tenant_id","bom_id","material_id"),
	CONSTRAINT "bom_items_quantity_check" CHECK ("bom_items"."quantity" > 0),
	CONSTRAINT "bom_items_scrap_check" CHECK ("bom_items"."scrap_percent" >= 0 and "bom_items"."scrap_percent" <= 100)
);
--> statement-breakpoint
CREATE TABLE "boms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"base_quantity" numeric NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"backflush" boolean DEFAULT false NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "boms_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "boms_version_key" UNIQUE("tenant_id","material_id","version"),
	CONSTRAINT "boms_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "boms_status_check" CHECK ("status" in ('draft', 'released', 'obsolete')),
	CONSTRAINT "boms_version_check" CHECK ("boms"."version" > 0),
	CONSTRAINT "boms_base_quantity_check" CHECK ("boms"."base_quantity" > 0),
	CONSTRAINT "boms_validity_check" CHECK ("boms"."valid_from" is null or "boms"."valid_to" is null or "boms"."valid_from" < "boms"."valid_to"),
	CONSTRAINT "boms_released_check" CHECK ("boms"."status" = 'draft' or "boms"."valid_from" is not null)
);
--> statement-breakpoint
CREATE TABLE "production_order_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"production_order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"material_id" uuid NOT NULL,
	"quantity" numeric NOT NULL,
	"scrap_percent" numeric DEFAULT '0' NOT NULL,
	"backflush" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "production_order_materials_key" UNIQUE("tenant_id","production_order_id","material_id"),
	CONSTRAINT "production_order_materials_quantity_check" CHECK ("production_order_materials"."quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_plant_id_key" UNIQUE("tenant_id","plant_id","id");--> statement-breakpoint
ALTER TABLE "production_orders" ADD COLUMN "bom_id" uuid;--> statement-breakpoint
ALTER TABLE "production_orders" ADD COLUMN "backflush" boolean;--> statement-breakpoint
ALTER TABLE "production_orders" ADD COLUMN "line_side_location_id" uuid;--> statement-breakpoint
ALTER TABLE "bom_items" ADD CONSTRAINT "bom_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_items" ADD CONSTRAINT "bom_items_bom_fk" FOREIGN KEY ("tenant_id","bom_id") REFERENCES "public"."boms"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_items" ADD CONSTRAINT "bom_items_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bom_items" ADD CONSTRAINT "bom_items_unit_fk" FOREIGN KEY ("tenant_id","unit") REFERENCES "public"."units"("tenant_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boms" ADD CONSTRAINT "boms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boms" ADD CONSTRAINT "boms_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_order_materials" ADD CONSTRAINT "production_order_materials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_order_materials" ADD CONSTRAINT "production_order_materials_order_fk" FOREIGN KEY ("tenant_id","plant_id","production_order_id") REFERENCES "public"."production_orders"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_order_materials" ADD CONSTRAINT "production_order_materials_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bom_items_material_idx" ON "bom_items" USING btree ("tenant_id","material_id");--> statement-breakpoint
CREATE INDEX "boms_effective_idx" ON "boms" USING btree ("tenant_id","material_id","status","valid_from");--> statement-breakpoint
CREATE INDEX "production_order_materials_material_idx" ON "production_order_materials" USING btree ("tenant_id","material_id");--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_bom_fk" FOREIGN KEY ("tenant_id","bom_id") REFERENCES "public"."boms"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_line_side_fk" FOREIGN KEY ("tenant_id","plant_id","line_side_location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written (docs/materials.md, "BOMs"): BOMs and their items are the tenant's like the materials
-- they name; an order's requirements belong to the order's plant and are seen with the order only.
SELECT plantline.apply_tenant_rls('boms', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('bom_items', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('production_order_materials', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('boms', 'bom', 'code', 'name', ARRAY['status', 'note']);
