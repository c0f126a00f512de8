CREATE TABLE "event_commits" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_ids" uuid[] NOT NULL,
	"times" timestamp with time zone[] NOT NULL,
	"kinds" text[] NOT NULL,
	CONSTRAINT "event_commits_pkey" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "event_streams" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_commits" ADD CONSTRAINT "event_commits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_streams" ADD CONSTRAINT "event_streams_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_commits_committed_at_idx" ON "event_commits" USING btree ("tenant_id","committed_at");