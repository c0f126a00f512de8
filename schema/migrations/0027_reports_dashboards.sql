CREATE TABLE "dashboard_shares" (
	"tenant_id" uuid NOT NULL,
	"dashboard_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_shares_pkey" PRIMARY KEY("tenant_id","dashboard_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "dashboard_versions" (
	"tenant_id" uuid NOT NULL,
	"dashboard_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"restored_from" integer,
	"saved_by" uuid,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_versions_pkey" PRIMARY KEY("tenant_id","dashboard_id","version"),
	CONSTRAINT "dashboard_versions_version_check" CHECK ("dashboard_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "dashboards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"visibility" text DEFAULT 'personal' NOT NULL,
	"owner_id" uuid,
	"definition" jsonb NOT NULL,
	"shipped_key" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboards_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "dashboards_tenant_slug_key" UNIQUE("tenant_id","slug"),
	CONSTRAINT "dashboards_tenant_shipped_key" UNIQUE("tenant_id","shipped_key"),
	CONSTRAINT "dashboards_visibility_check" CHECK ("visibility" in ('personal', 'shared')),
	CONSTRAINT "dashboards_personal_owner_check" CHECK ("dashboards"."visibility" = 'shared' or "dashboards"."owner_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "report_executions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"report_key" text NOT NULL,
	"report_id" uuid,
	"report_version" integer,
	"report_name" text NOT NULL,
	"schedule_id" uuid,
	"format" text NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resolved" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress_rows" bigint DEFAULT 0 NOT NULL,
	"expected_rows" bigint,
	"rows" bigint,
	"duration_ms" integer,
	"output_bytes" bigint,
	"output_sha256" text,
	"output_path" text,
	"error" text,
	"requested_by" uuid,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "report_executions_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "report_executions_format_check" CHECK ("format" in ('csv', 'xlsx', 'pdf', 'dashboard_pdf')),
	CONSTRAINT "report_executions_status_check" CHECK ("status" in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
	CONSTRAINT "report_executions_sha_check" CHECK ("report_executions"."output_sha256" is null or "report_executions"."output_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"name" text NOT NULL,
	"report_key" text NOT NULL,
	"report_id" uuid,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"format" text NOT NULL,
	"trigger" jsonb NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"skip_if_empty" boolean DEFAULT true NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "report_schedules_format_check" CHECK ("format" in ('csv', 'xlsx', 'pdf', 'dashboard_pdf'))
);
--> statement-breakpoint
CREATE TABLE "report_versions" (
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"saved_by" uuid,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_versions_pkey" PRIMARY KEY("tenant_id","report_id","version"),
	CONSTRAINT "report_versions_version_check" CHECK ("report_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"base_key" text NOT NULL,
	"definition" jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "reports_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
ALTER TABLE "dashboard_shares" ADD CONSTRAINT "dashboard_shares_dashboard_fk" FOREIGN KEY ("tenant_id","dashboard_id") REFERENCES "public"."dashboards"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_shares" ADD CONSTRAINT "dashboard_shares_role_fk" FOREIGN KEY ("tenant_id","role_id") REFERENCES "public"."roles"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_versions" ADD CONSTRAINT "dashboard_versions_dashboard_fk" FOREIGN KEY ("tenant_id","dashboard_id") REFERENCES "public"."dashboards"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_versions" ADD CONSTRAINT "dashboard_versions_saved_by_fk" FOREIGN KEY ("tenant_id","saved_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_executions" ADD CONSTRAINT "report_executions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_executions" ADD CONSTRAINT "report_executions_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_executions" ADD CONSTRAINT "report_executions_report_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."reports"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_executions" ADD CONSTRAINT "report_executions_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."report_schedules"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_executions" ADD CONSTRAINT "report_executions_requested_by_fk" FOREIGN KEY ("tenant_id","requested_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_report_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."reports"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_report_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."reports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_saved_by_fk" FOREIGN KEY ("tenant_id","saved_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboard_shares_role_idx" ON "dashboard_shares" USING btree ("tenant_id","role_id");--> statement-breakpoint
CREATE INDEX "dashboard_versions_saved_by_idx" ON "dashboard_versions" USING btree ("tenant_id","saved_by");--> statement-breakpoint
CREATE INDEX "dashboards_owner_idx" ON "dashboards" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "report_executions_created_idx" ON "report_executions" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "report_executions_plant_idx" ON "report_executions" USING btree ("tenant_id","plant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "report_executions_report_idx" ON "report_executions" USING btree ("tenant_id","report_id");--> statement-breakpoint
CREATE INDEX "report_executions_schedule_idx" ON "report_executions" USING btree ("tenant_id","schedule_id");--> statement-breakpoint
CREATE INDEX "report_executions_requested_by_idx" ON "report_executions" USING btree ("tenant_id","requested_by");--> statement-breakpoint
CREATE INDEX "report_executions_expires_idx" ON "report_executions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "report_schedules_due_idx" ON "report_schedules" USING btree ("tenant_id","next_run_at");--> statement-breakpoint
CREATE INDEX "report_schedules_plant_idx" ON "report_schedules" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "report_schedules_report_idx" ON "report_schedules" USING btree ("tenant_id","report_id");--> statement-breakpoint
CREATE INDEX "report_schedules_created_by_idx" ON "report_schedules" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "report_versions_saved_by_idx" ON "report_versions" USING btree ("tenant_id","saved_by");--> statement-breakpoint
CREATE INDEX "reports_created_by_idx" ON "reports" USING btree ("tenant_id","created_by");