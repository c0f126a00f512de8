CREATE TABLE "machine_state_events" (
	"time" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"device_time" timestamp with time zone,
	"state" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "production_counts" (
	"time" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"device_time" timestamp with time zone,
	"good" integer NOT NULL,
	"scrap" integer NOT NULL,
	"product_code" text,
	"order_code" text
);
--> statement-breakpoint
CREATE TABLE "qr_code_scans" (
	"time" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"device_time" timestamp with time zone,
	"code" text NOT NULL,
	"symbology" text NOT NULL,
	"action" text NOT NULL,
	"station_code" text
);
--> statement-breakpoint
CREATE TABLE "sensor_readings" (
	"time" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"machine_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"device_time" timestamp with time zone,
	"name" text NOT NULL,
	"value" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unassigned_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"line_code" text NOT NULL,
	"machine_code" text NOT NULL,
	"kind" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"envelope" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "areas_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "areas_tenant_plant_code_key" UNIQUE("tenant_id","plant_id","code")
);
--> statement-breakpoint
CREATE TABLE "lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"area_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lines_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "lines_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "lines_tenant_plant_code_key" UNIQUE("tenant_id","plant_id","code")
);
--> statement-breakpoint
CREATE TABLE "machines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "machines_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "machines_tenant_plant_line_code_key" UNIQUE("tenant_id","plant_id","line_id","code")
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"line_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "stations_tenant_plant_code_key" UNIQUE("tenant_id","plant_id","code")
);
--> statement-breakpoint
ALTER TABLE "unassigned_events" ADD CONSTRAINT "unassigned_events_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lines" ADD CONSTRAINT "lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lines" ADD CONSTRAINT "lines_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lines" ADD CONSTRAINT "lines_area_fk" FOREIGN KEY ("tenant_id","area_id") REFERENCES "public"."areas"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "machine_state_events_event_key" ON "machine_state_events" USING btree ("tenant_id","event_id","time");--> statement-breakpoint
CREATE INDEX "machine_state_events_machine_time_idx" ON "machine_state_events" USING btree ("machine_id","time");--> statement-breakpoint
CREATE UNIQUE INDEX "production_counts_event_key" ON "production_counts" USING btree ("tenant_id","event_id","time");--> statement-breakpoint
CREATE INDEX "production_counts_machine_time_idx" ON "production_counts" USING btree ("machine_id","time");--> statement-breakpoint
CREATE UNIQUE INDEX "qr_code_scans_event_key" ON "qr_code_scans" USING btree ("tenant_id","event_id","time");--> statement-breakpoint
CREATE INDEX "qr_code_scans_machine_time_idx" ON "qr_code_scans" USING btree ("machine_id","time");--> statement-breakpoint
CREATE INDEX "qr_code_scans_code_idx" ON "qr_code_scans" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "sensor_readings_event_key" ON "sensor_readings" USING btree ("tenant_id","event_id","name","time");--> statement-breakpoint
CREATE INDEX "sensor_readings_machine_name_time_idx" ON "sensor_readings" USING btree ("machine_id","name","time");--> statement-breakpoint
CREATE UNIQUE INDEX "unassigned_events_event_key" ON "unassigned_events" USING btree ("tenant_id","event_id");--> statement-breakpoint
CREATE INDEX "unassigned_events_plant_codes_idx" ON "unassigned_events" USING btree ("tenant_id","plant_id","line_code","machine_code");--> statement-breakpoint
CREATE INDEX "lines_area_idx" ON "lines" USING btree ("tenant_id","area_id");--> statement-breakpoint
CREATE INDEX "stations_line_idx" ON "stations" USING btree ("tenant_id","plant_id","line_id");