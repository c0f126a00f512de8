CREATE TABLE "downtime_reasons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"bucket" text NOT NULL,
	"category" text DEFAULT 'other' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "downtime_reasons_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "downtime_reasons_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "downtime_reasons_bucket_check" CHECK ("bucket" in ('running', 'performance_loss', 'availability_loss', 'planned_stop'))
);
--> statement-breakpoint
CREATE TABLE "ideal_cycle_times" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"product_id" uuid,
	"seconds_per_unit" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ideal_cycle_times_machine_product_key" UNIQUE NULLS NOT DISTINCT("tenant_id","machine_id","product_id"),
	CONSTRAINT "ideal_cycle_times_positive" CHECK ("ideal_cycle_times"."seconds_per_unit" > 0 and "ideal_cycle_times"."seconds_per_unit" < 'Infinity')
);
--> statement-breakpoint
CREATE TABLE "planned_downtimes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid,
	"machine_id" uuid,
	"shift_id" uuid,
	"kind" text NOT NULL,
	"reason_id" uuid,
	"note" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planned_downtimes_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "planned_downtimes_interval_check" CHECK ("planned_downtimes"."ends_at" > "planned_downtimes"."starts_at"),
	CONSTRAINT "planned_downtimes_scope_check" CHECK ("planned_downtimes"."machine_id" is null or "planned_downtimes"."line_id" is not null),
	CONSTRAINT "planned_downtimes_kind_check" CHECK ("kind" in ('break', 'maintenance', 'no_orders', 'changeover', 'other'))
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT 'pcs' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "products_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "shift_pattern_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"pattern_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"weekdays" smallint[] NOT NULL,
	"start_time" time NOT NULL,
	"duration_minutes" integer NOT NULL,
	"breaks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shift_pattern_shifts_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shift_pattern_shifts_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "shift_pattern_shifts_pattern_code_key" UNIQUE("tenant_id","plant_id","pattern_id","code"),
	CONSTRAINT "shift_pattern_shifts_duration_check" CHECK ("shift_pattern_shifts"."duration_minutes" between 1 and 1440),
	CONSTRAINT "shift_pattern_shifts_weekdays_check" CHECK (cardinality("shift_pattern_shifts"."weekdays") > 0 and "shift_pattern_shifts"."weekdays" <@ array[1,2,3,4,5,6,7]::smallint[])
);
--> statement-breakpoint
CREATE TABLE "shift_patterns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shift_patterns_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shift_patterns_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "shift_patterns_tenant_plant_code_key" UNIQUE("tenant_id","plant_id","code")
);
--> statement-breakpoint
CREATE TABLE "shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"pattern_shift_id" uuid,
	"name" text NOT NULL,
	"business_date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"is_override" boolean DEFAULT false NOT NULL,
	"is_cancelled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shifts_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shifts_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "shifts_pattern_shift_day_key" UNIQUE("tenant_id","plant_id","pattern_shift_id","business_date"),
	CONSTRAINT "shifts_interval_check" CHECK ("shifts"."ends_at" > "shifts"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "state_loss_mapping" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"colour" text NOT NULL,
	"bucket" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "state_loss_mapping_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "state_loss_mapping_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "state_loss_mapping_bucket_check" CHECK ("bucket" in ('running', 'performance_loss', 'availability_loss', 'planned_stop')),
	CONSTRAINT "state_loss_mapping_colour_check" CHECK ("state_loss_mapping"."colour" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "defect_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"category" text DEFAULT 'other' NOT NULL,
	"severity" text DEFAULT 'major' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "defect_codes_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "defect_codes_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "defect_codes_severity_check" CHECK ("severity" in ('minor', 'major', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "inspection_characteristics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"unit" text,
	"nominal" double precision,
	"lower_limit" double precision,
	"upper_limit" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_characteristics_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "inspection_characteristics_plan_code_key" UNIQUE("tenant_id","plan_id","code"),
	CONSTRAINT "inspection_characteristics_kind_check" CHECK ("kind" in ('attribute', 'variable')),
	CONSTRAINT "inspection_characteristics_limits_check" CHECK ("inspection_characteristics"."lower_limit" is null or "inspection_characteristics"."upper_limit" is null or "inspection_characteristics"."lower_limit" <= "inspection_characteristics"."upper_limit")
);
--> statement-breakpoint
CREATE TABLE "inspection_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"product_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_plans_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "inspection_plans_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "inspection_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"inspection_id" uuid NOT NULL,
	"characteristic_id" uuid,
	"defect_code_id" uuid,
	"measured_value" double precision,
	"passed" boolean NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"plan_id" uuid,
	"serial" text,
	"lot" text,
	"quantity" integer DEFAULT 1 NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"after_rework" boolean DEFAULT false NOT NULL,
	"previous_inspection_id" uuid,
	"result" text NOT NULL,
	"inspected_at" timestamp with time zone NOT NULL,
	"inspector_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspections_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "inspections_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "inspections_unit_check" CHECK (("inspections"."serial" is null) <> ("inspections"."lot" is null)),
	CONSTRAINT "inspections_quantity_check" CHECK ("inspections"."quantity" > 0 and ("inspections"."serial" is null or "inspections"."quantity" = 1)),
	CONSTRAINT "inspections_attempt_check" CHECK ("inspections"."attempt" >= 1 and (("inspections"."attempt" = 1) = ("inspections"."previous_inspection_id" is null))),
	CONSTRAINT "inspections_result_check" CHECK ("result" in ('pass', 'fail'))
);
--> statement-breakpoint
CREATE TABLE "routing_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"routing_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"line_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_operations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "routing_operations_routing_sequence_key" UNIQUE("tenant_id","routing_id","sequence"),
	CONSTRAINT "routing_operations_routing_code_key" UNIQUE("tenant_id","routing_id","code"),
	CONSTRAINT "routing_operations_sequence_check" CHECK ("routing_operations"."sequence" > 0)
);
--> statement-breakpoint
CREATE TABLE "routings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routings_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "routings_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
ALTER TABLE "downtime_reasons" ADD CONSTRAINT "downtime_reasons_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideal_cycle_times" ADD CONSTRAINT "ideal_cycle_times_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideal_cycle_times" ADD CONSTRAINT "ideal_cycle_times_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideal_cycle_times" ADD CONSTRAINT "ideal_cycle_times_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideal_cycle_times" ADD CONSTRAINT "ideal_cycle_times_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_shift_fk" FOREIGN KEY ("tenant_id","plant_id","shift_id") REFERENCES "public"."shifts"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_downtimes" ADD CONSTRAINT "planned_downtimes_reason_fk" FOREIGN KEY ("tenant_id","reason_id") REFERENCES "public"."downtime_reasons"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_pattern_shifts" ADD CONSTRAINT "shift_pattern_shifts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_pattern_shifts" ADD CONSTRAINT "shift_pattern_shifts_pattern_fk" FOREIGN KEY ("tenant_id","plant_id","pattern_id") REFERENCES "public"."shift_patterns"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_patterns" ADD CONSTRAINT "shift_patterns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_patterns" ADD CONSTRAINT "shift_patterns_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_pattern_shift_fk" FOREIGN KEY ("tenant_id","plant_id","pattern_shift_id") REFERENCES "public"."shift_pattern_shifts"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "state_loss_mapping" ADD CONSTRAINT "state_loss_mapping_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defect_codes" ADD CONSTRAINT "defect_codes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_characteristics" ADD CONSTRAINT "inspection_characteristics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_characteristics" ADD CONSTRAINT "inspection_characteristics_plan_fk" FOREIGN KEY ("tenant_id","plan_id") REFERENCES "public"."inspection_plans"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_operation_fk" FOREIGN KEY ("tenant_id","operation_id") REFERENCES "public"."routing_operations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_inspection_fk" FOREIGN KEY ("tenant_id","plant_id","inspection_id") REFERENCES "public"."inspections"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_characteristic_fk" FOREIGN KEY ("tenant_id","characteristic_id") REFERENCES "public"."inspection_characteristics"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_defect_fk" FOREIGN KEY ("tenant_id","defect_code_id") REFERENCES "public"."defect_codes"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_operation_fk" FOREIGN KEY ("tenant_id","operation_id") REFERENCES "public"."routing_operations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_plan_fk" FOREIGN KEY ("tenant_id","plan_id") REFERENCES "public"."inspection_plans"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_previous_fk" FOREIGN KEY ("tenant_id","plant_id","previous_inspection_id") REFERENCES "public"."inspections"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_inspector_fk" FOREIGN KEY ("tenant_id","inspector_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD CONSTRAINT "routing_operations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD CONSTRAINT "routing_operations_routing_fk" FOREIGN KEY ("tenant_id","routing_id") REFERENCES "public"."routings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD CONSTRAINT "routing_operations_line_fk" FOREIGN KEY ("tenant_id","line_id") REFERENCES "public"."lines"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routings" ADD CONSTRAINT "routings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routings" ADD CONSTRAINT "routings_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ideal_cycle_times_plant_idx" ON "ideal_cycle_times" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "ideal_cycle_times_product_idx" ON "ideal_cycle_times" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "planned_downtimes_plant_time_idx" ON "planned_downtimes" USING btree ("tenant_id","plant_id","starts_at");--> statement-breakpoint
CREATE INDEX "planned_downtimes_line_idx" ON "planned_downtimes" USING btree ("tenant_id","plant_id","line_id");--> statement-breakpoint
CREATE INDEX "planned_downtimes_machine_idx" ON "planned_downtimes" USING btree ("tenant_id","machine_id");--> statement-breakpoint
CREATE INDEX "planned_downtimes_shift_idx" ON "planned_downtimes" USING btree ("tenant_id","plant_id","shift_id");--> statement-breakpoint
CREATE INDEX "planned_downtimes_reason_idx" ON "planned_downtimes" USING btree ("tenant_id","reason_id");--> statement-breakpoint
CREATE INDEX "shifts_plant_time_idx" ON "shifts" USING btree ("tenant_id","plant_id","starts_at");--> statement-breakpoint
CREATE INDEX "inspection_plans_product_idx" ON "inspection_plans" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "inspection_plans_operation_idx" ON "inspection_plans" USING btree ("tenant_id","operation_id");--> statement-breakpoint
CREATE INDEX "inspection_results_inspection_idx" ON "inspection_results" USING btree ("tenant_id","plant_id","inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_results_characteristic_idx" ON "inspection_results" USING btree ("tenant_id","characteristic_id");--> statement-breakpoint
CREATE INDEX "inspection_results_defect_idx" ON "inspection_results" USING btree ("tenant_id","defect_code_id");--> statement-breakpoint
CREATE INDEX "inspections_plant_time_idx" ON "inspections" USING btree ("tenant_id","plant_id","inspected_at");--> statement-breakpoint
CREATE INDEX "inspections_product_operation_idx" ON "inspections" USING btree ("tenant_id","product_id","operation_id","inspected_at");--> statement-breakpoint
CREATE INDEX "inspections_operation_idx" ON "inspections" USING btree ("tenant_id","operation_id");--> statement-breakpoint
CREATE INDEX "inspections_plan_idx" ON "inspections" USING btree ("tenant_id","plan_id");--> statement-breakpoint
CREATE INDEX "inspections_previous_idx" ON "inspections" USING btree ("tenant_id","plant_id","previous_inspection_id");--> statement-breakpoint
CREATE INDEX "inspections_inspector_idx" ON "inspections" USING btree ("tenant_id","inspector_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_serial_attempt_key" ON "inspections" USING btree ("tenant_id","product_id","operation_id","serial","attempt") WHERE "inspections"."serial" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_lot_attempt_key" ON "inspections" USING btree ("tenant_id","product_id","operation_id","lot","attempt") WHERE "inspections"."lot" is not null;--> statement-breakpoint
CREATE INDEX "routing_operations_line_idx" ON "routing_operations" USING btree ("tenant_id","line_id");--> statement-breakpoint
CREATE INDEX "routings_product_idx" ON "routings" USING btree ("tenant_id","product_id");