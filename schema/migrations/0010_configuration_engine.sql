CREATE TABLE "config_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"summary" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "config_changes_subject_version_key" UNIQUE("tenant_id","subject_id","version"),
	CONSTRAINT "config_changes_subject_check" CHECK ("subject" in ('field', 'type_list', 'numbering'))
);
--> statement-breakpoint
CREATE TABLE "custom_fields" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"type_list_id" uuid,
	"required" boolean DEFAULT false NOT NULL,
	"default_value" jsonb,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"help_text" text,
	"group_name" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"plant_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_fields_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "custom_fields_entity_key_key" UNIQUE("tenant_id","entity_type","key"),
	CONSTRAINT "custom_fields_type_check" CHECK ("type" in ('text', 'long_text', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'single_select', 'multi_select', 'user_ref', 'entity_ref')),
	CONSTRAINT "custom_fields_type_list_check" CHECK (("custom_fields"."type" in ('single_select', 'multi_select')) = ("custom_fields"."type_list_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "field_values" (
	"tenant_id" uuid NOT NULL,
	"field_id" uuid NOT NULL,
	"entity_id" uuid NOT NULL,
	"plant_id" uuid,
	"text_value" text,
	"long_value" text,
	"number_value" double precision,
	"bool_value" boolean,
	"date_value" date,
	"time_value" timestamp with time zone,
	"ref_id" uuid,
	"ref_ids" uuid[],
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "field_values_pkey" PRIMARY KEY("tenant_id","field_id","entity_id")
);
--> statement-breakpoint
CREATE TABLE "numbering_counters" (
	"tenant_id" uuid NOT NULL,
	"sequence_id" uuid NOT NULL,
	"plant_id" uuid,
	"period" text NOT NULL,
	"last_value" bigint NOT NULL,
	CONSTRAINT "numbering_counters_key" UNIQUE NULLS NOT DISTINCT("tenant_id","sequence_id","plant_id","period")
);
--> statement-breakpoint
CREATE TABLE "numbering_sequences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"pattern" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "numbering_sequences_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "numbering_sequences_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "type_list_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type_list_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"colour" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "type_list_values_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "type_list_values_list_code_key" UNIQUE("tenant_id","type_list_id","code"),
	CONSTRAINT "type_list_values_colour_check" CHECK ("type_list_values"."colour" is null or "type_list_values"."colour" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "type_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "type_lists_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "type_lists_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "production_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"product_id" uuid NOT NULL,
	"line_id" uuid,
	"quantity" numeric NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"due_at" timestamp with time zone,
	"planned_start" timestamp with time zone,
	"planned_end" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "production_orders_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "production_orders_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "production_orders_status_check" CHECK ("status" in ('planned', 'released', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "production_orders_quantity_check" CHECK ("production_orders"."quantity" > 0),
	CONSTRAINT "production_orders_plan_check" CHECK ("production_orders"."planned_start" is null or "production_orders"."planned_end" is null or "production_orders"."planned_start" < "production_orders"."planned_end")
);
--> statement-breakpoint
ALTER TABLE "config_changes" ADD CONSTRAINT "config_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_type_list_fk" FOREIGN KEY ("tenant_id","type_list_id") REFERENCES "public"."type_lists"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_values" ADD CONSTRAINT "field_values_field_fk" FOREIGN KEY ("tenant_id","field_id") REFERENCES "public"."custom_fields"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_values" ADD CONSTRAINT "field_values_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "numbering_counters" ADD CONSTRAINT "numbering_counters_sequence_fk" FOREIGN KEY ("tenant_id","sequence_id") REFERENCES "public"."numbering_sequences"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "numbering_counters" ADD CONSTRAINT "numbering_counters_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "numbering_sequences" ADD CONSTRAINT "numbering_sequences_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "type_list_values" ADD CONSTRAINT "type_list_values_list_fk" FOREIGN KEY ("tenant_id","type_list_id") REFERENCES "public"."type_lists"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "type_lists" ADD CONSTRAINT "type_lists_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "custom_fields_type_list_idx" ON "custom_fields" USING btree ("tenant_id","type_list_id");--> statement-breakpoint
CREATE INDEX "custom_fields_plant_idx" ON "custom_fields" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "field_values_plant_idx" ON "field_values" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "field_values_number_idx" ON "field_values" USING btree ("tenant_id","field_id","number_value","entity_id") WHERE "field_values"."number_value" is not null;--> statement-breakpoint
CREATE INDEX "field_values_text_idx" ON "field_values" USING btree ("tenant_id","field_id","text_value","entity_id") WHERE "field_values"."text_value" is not null;--> statement-breakpoint
CREATE INDEX "field_values_date_idx" ON "field_values" USING btree ("tenant_id","field_id","date_value","entity_id") WHERE "field_values"."date_value" is not null;--> statement-breakpoint
CREATE INDEX "field_values_time_idx" ON "field_values" USING btree ("tenant_id","field_id","time_value","entity_id") WHERE "field_values"."time_value" is not null;--> statement-breakpoint
CREATE INDEX "field_values_ref_idx" ON "field_values" USING btree ("tenant_id","field_id","ref_id","entity_id") WHERE "field_values"."ref_id" is not null;--> statement-breakpoint
CREATE INDEX "field_values_ref_ids_idx" ON "field_values" USING gin ("ref_ids");--> statement-breakpoint
CREATE INDEX "numbering_counters_plant_idx" ON "numbering_counters" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "production_orders_plant_idx" ON "production_orders" USING btree ("tenant_id","plant_id","status");--> statement-breakpoint
CREATE INDEX "production_orders_created_idx" ON "production_orders" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "production_orders_product_idx" ON "production_orders" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "production_orders_line_idx" ON "production_orders" USING btree ("tenant_id","plant_id","line_id");