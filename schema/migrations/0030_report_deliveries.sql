CREATE TABLE "report_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"schedule_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"emails" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "report_deliveries_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "report_deliveries_execution_key" UNIQUE("tenant_id","execution_id"),
	CONSTRAINT "report_deliveries_status_check" CHECK ("status" in ('pending', 'delivered', 'skipped', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."report_schedules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_execution_fk" FOREIGN KEY ("tenant_id","execution_id") REFERENCES "public"."report_executions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_deliveries_schedule_idx" ON "report_deliveries" USING btree ("tenant_id","schedule_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "report_deliveries_plant_idx" ON "report_deliveries" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "report_deliveries_retry_idx" ON "report_deliveries" USING btree ("tenant_id","status","next_attempt_at");