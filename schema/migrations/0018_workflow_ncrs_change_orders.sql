CREATE TABLE "change_order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"change_order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"routing_id" uuid,
	"from_revision" text NOT NULL,
	"to_revision" text,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "change_order_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "change_order_items_product_key" UNIQUE("tenant_id","change_order_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "change_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"effectivity" text DEFAULT 'immediate' NOT NULL,
	"effective_date" date,
	"effective_lot" text,
	"owner_id" uuid,
	"raised_by" uuid,
	"implemented_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "change_orders_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "change_orders_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "change_orders_urgency_check" CHECK ("urgency" in ('low', 'normal', 'high', 'emergency')),
	CONSTRAINT "change_orders_effectivity_check" CHECK ("effectivity" in ('immediate', 'date', 'lot')),
	CONSTRAINT "change_orders_effective_when_check" CHECK (("change_orders"."effectivity" <> 'date' or "change_orders"."effective_date" is not null) and ("change_orders"."effectivity" <> 'lot' or "change_orders"."effective_lot" is not null))
);
--> statement-breakpoint
CREATE TABLE "product_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"revision" text NOT NULL,
	"change_order_id" uuid,
	"effective_from" timestamp with time zone NOT NULL,
	"effective_lot" text,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_revisions_product_revision_key" UNIQUE("tenant_id","product_id","revision")
);
--> statement-breakpoint
CREATE TABLE "ncr_inspections" (
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"ncr_id" uuid NOT NULL,
	"inspection_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ncr_inspections_pkey" PRIMARY KEY("tenant_id","plant_id","ncr_id","inspection_id")
);
--> statement-breakpoint
CREATE TABLE "ncrs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"line_id" uuid,
	"machine_id" uuid,
	"product_id" uuid,
	"production_order_id" uuid,
	"lot" text,
	"serial" text,
	"defect_code_id" uuid,
	"quantity_affected" numeric,
	"description" text DEFAULT '' NOT NULL,
	"containment" text DEFAULT '' NOT NULL,
	"root_cause" text DEFAULT '' NOT NULL,
	"disposition" text,
	"cost" numeric,
	"owner_id" uuid,
	"raised_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ncrs_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "ncrs_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "ncrs_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "ncrs_disposition_check" CHECK ("disposition" is null or "disposition" in ('use_as_is', 'rework', 'scrap', 'return_to_supplier', 'false_nonconformance')),
	CONSTRAINT "ncrs_quantity_check" CHECK ("ncrs"."quantity_affected" is null or "ncrs"."quantity_affected" >= 0),
	CONSTRAINT "ncrs_cost_check" CHECK ("ncrs"."cost" is null or "ncrs"."cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"instance_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"transition_key" text NOT NULL,
	"voter_id" uuid NOT NULL,
	"counts_for_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"comment" text,
	"signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"voided_at" timestamp with time zone,
	CONSTRAINT "approvals_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "approvals_decision_check" CHECK ("decision" in ('approve', 'reject'))
);
--> statement-breakpoint
CREATE TABLE "electronic_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"instance_id" uuid,
	"round" integer,
	"transition_key" text,
	"signer_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"on_behalf_of_id" uuid,
	"on_behalf_of_name" text,
	"meaning" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"record_sha256" text NOT NULL,
	"record" jsonb NOT NULL,
	"components" text NOT NULL,
	"session_id" uuid,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	CONSTRAINT "electronic_signatures_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "electronic_signatures_components_check" CHECK ("components" in ('both', 'password'))
);
--> statement-breakpoint
CREATE TABLE "workflow_action_keys" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"instance_id" uuid NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_action_keys_pkey" PRIMARY KEY("tenant_id","user_id","key")
);
--> statement-breakpoint
CREATE TABLE "workflow_delegations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"delegator_id" uuid NOT NULL,
	"delegate_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "workflow_delegations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "workflow_delegations_people_check" CHECK ("workflow_delegations"."delegator_id" <> "workflow_delegations"."delegate_id"),
	CONSTRAINT "workflow_delegations_period_check" CHECK ("workflow_delegations"."starts_at" < "workflow_delegations"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "workflow_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"instance_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"round" integer NOT NULL,
	"transition_key" text,
	"from_state" text,
	"to_state" text,
	"actor_id" uuid,
	"on_behalf_of_id" uuid,
	"comment" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "workflow_events_kind_check" CHECK ("kind" in ('started', 'transition', 'vote', 'signature', 'signature_failed', 'voided', 'reminder', 'escalation', 'migrated'))
);
--> statement-breakpoint
CREATE TABLE "workflow_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"state_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"editors" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sla_due_at" timestamp with time zone,
	"sla_remind_at" timestamp with time zone,
	"sla_reminded_at" timestamp with time zone,
	"sla_escalate_role" text,
	"sla_escalated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_instances_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "workflow_instances_entity_key" UNIQUE("tenant_id","entity_type","entity_id")
);
--> statement-breakpoint
CREATE TABLE "workflow_states" (
	"tenant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "workflow_states_pkey" PRIMARY KEY("tenant_id","version_id","key"),
	CONSTRAINT "workflow_states_kind_check" CHECK ("kind" in ('initial', 'normal', 'final'))
);
--> statement-breakpoint
CREATE TABLE "workflow_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid,
	"instance_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"kind" text NOT NULL,
	"transition_key" text,
	"assignee_user_id" uuid,
	"assignee_role_id" uuid,
	"assignee_permission" text,
	"title" text NOT NULL,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "workflow_tasks_kind_check" CHECK ("kind" in ('approval', 'action', 'overdue')),
	CONSTRAINT "workflow_tasks_assignee_check" CHECK (num_nonnulls("workflow_tasks"."assignee_user_id", "workflow_tasks"."assignee_role_id", "workflow_tasks"."assignee_permission") = 1)
);
--> statement-breakpoint
CREATE TABLE "workflow_transitions" (
	"tenant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "workflow_transitions_pkey" PRIMARY KEY("tenant_id","version_id","key")
);
--> statement-breakpoint
CREATE TABLE "workflow_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"definition" jsonb NOT NULL,
	"definition_sha256" text,
	"note" text DEFAULT '' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone,
	CONSTRAINT "workflow_versions_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "workflow_versions_number_key" UNIQUE("tenant_id","workflow_id","number"),
	CONSTRAINT "workflow_versions_status_check" CHECK ("status" in ('draft', 'published')),
	CONSTRAINT "workflow_versions_published_check" CHECK (("workflow_versions"."status" = 'published') = ("workflow_versions"."published_at" is not null and "workflow_versions"."definition_sha256" is not null))
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"entity_type" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflows_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "workflows_tenant_key_key" UNIQUE("tenant_id","key"),
	CONSTRAINT "workflows_tenant_entity_type_key" UNIQUE("tenant_id","entity_type")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "signing_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "revision" text DEFAULT 'A' NOT NULL;--> statement-breakpoint
ALTER TABLE "change_order_items" ADD CONSTRAINT "change_order_items_change_order_fk" FOREIGN KEY ("tenant_id","change_order_id") REFERENCES "public"."change_orders"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_order_items" ADD CONSTRAINT "change_order_items_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_order_items" ADD CONSTRAINT "change_order_items_routing_fk" FOREIGN KEY ("tenant_id","routing_id") REFERENCES "public"."routings"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_orders" ADD CONSTRAINT "change_orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_orders" ADD CONSTRAINT "change_orders_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_orders" ADD CONSTRAINT "change_orders_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_revisions" ADD CONSTRAINT "product_revisions_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_revisions" ADD CONSTRAINT "product_revisions_change_order_fk" FOREIGN KEY ("tenant_id","change_order_id") REFERENCES "public"."change_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_inspections" ADD CONSTRAINT "ncr_inspections_ncr_fk" FOREIGN KEY ("tenant_id","plant_id","ncr_id") REFERENCES "public"."ncrs"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_inspections" ADD CONSTRAINT "ncr_inspections_inspection_fk" FOREIGN KEY ("tenant_id","plant_id","inspection_id") REFERENCES "public"."inspections"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_line_fk" FOREIGN KEY ("tenant_id","plant_id","line_id") REFERENCES "public"."lines"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_machine_fk" FOREIGN KEY ("tenant_id","machine_id") REFERENCES "public"."machines"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_order_fk" FOREIGN KEY ("tenant_id","production_order_id") REFERENCES "public"."production_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_defect_fk" FOREIGN KEY ("tenant_id","defect_code_id") REFERENCES "public"."defect_codes"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_instance_fk" FOREIGN KEY ("tenant_id","instance_id") REFERENCES "public"."workflow_instances"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_voter_fk" FOREIGN KEY ("tenant_id","voter_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "electronic_signatures" ADD CONSTRAINT "electronic_signatures_signer_fk" FOREIGN KEY ("tenant_id","signer_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "electronic_signatures" ADD CONSTRAINT "electronic_signatures_instance_fk" FOREIGN KEY ("tenant_id","instance_id") REFERENCES "public"."workflow_instances"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "electronic_signatures" ADD CONSTRAINT "electronic_signatures_session_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_action_keys" ADD CONSTRAINT "workflow_action_keys_instance_fk" FOREIGN KEY ("tenant_id","instance_id") REFERENCES "public"."workflow_instances"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_delegations" ADD CONSTRAINT "workflow_delegations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_delegations" ADD CONSTRAINT "workflow_delegations_delegator_fk" FOREIGN KEY ("tenant_id","delegator_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_delegations" ADD CONSTRAINT "workflow_delegations_delegate_fk" FOREIGN KEY ("tenant_id","delegate_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_events" ADD CONSTRAINT "workflow_events_instance_fk" FOREIGN KEY ("tenant_id","instance_id") REFERENCES "public"."workflow_instances"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD CONSTRAINT "workflow_instances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD CONSTRAINT "workflow_instances_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD CONSTRAINT "workflow_instances_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_instances" ADD CONSTRAINT "workflow_instances_state_fk" FOREIGN KEY ("tenant_id","version_id","state_key") REFERENCES "public"."workflow_states"("tenant_id","version_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_states" ADD CONSTRAINT "workflow_states_version_fk" FOREIGN KEY ("tenant_id","version_id") REFERENCES "public"."workflow_versions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD CONSTRAINT "workflow_tasks_instance_fk" FOREIGN KEY ("tenant_id","instance_id") REFERENCES "public"."workflow_instances"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD CONSTRAINT "workflow_tasks_role_fk" FOREIGN KEY ("tenant_id","assignee_role_id") REFERENCES "public"."roles"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_from_fk" FOREIGN KEY ("tenant_id","version_id","from_state") REFERENCES "public"."workflow_states"("tenant_id","version_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_to_fk" FOREIGN KEY ("tenant_id","version_id","to_state") REFERENCES "public"."workflow_states"("tenant_id","version_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "change_order_items_product_idx" ON "change_order_items" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "change_order_items_routing_idx" ON "change_order_items" USING btree ("tenant_id","routing_id");--> statement-breakpoint
CREATE INDEX "change_orders_created_idx" ON "change_orders" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "change_orders_status_idx" ON "change_orders" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "change_orders_plant_idx" ON "change_orders" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "change_orders_owner_idx" ON "change_orders" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "product_revisions_change_order_idx" ON "product_revisions" USING btree ("tenant_id","change_order_id");--> statement-breakpoint
CREATE INDEX "ncr_inspections_inspection_idx" ON "ncr_inspections" USING btree ("tenant_id","plant_id","inspection_id");--> statement-breakpoint
CREATE INDEX "ncrs_created_idx" ON "ncrs" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ncrs_plant_status_idx" ON "ncrs" USING btree ("tenant_id","plant_id","status");--> statement-breakpoint
CREATE INDEX "ncrs_machine_idx" ON "ncrs" USING btree ("tenant_id","machine_id");--> statement-breakpoint
CREATE INDEX "ncrs_line_idx" ON "ncrs" USING btree ("tenant_id","plant_id","line_id");--> statement-breakpoint
CREATE INDEX "ncrs_product_idx" ON "ncrs" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "ncrs_order_idx" ON "ncrs" USING btree ("tenant_id","production_order_id");--> statement-breakpoint
CREATE INDEX "ncrs_defect_idx" ON "ncrs" USING btree ("tenant_id","defect_code_id");--> statement-breakpoint
CREATE INDEX "ncrs_owner_idx" ON "ncrs" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_vote_key" ON "approvals" USING btree ("tenant_id","instance_id","round","transition_key","counts_for_id") WHERE "approvals"."voided_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_voter_key" ON "approvals" USING btree ("tenant_id","instance_id","round","transition_key","voter_id") WHERE "approvals"."voided_at" is null;--> statement-breakpoint
CREATE INDEX "approvals_voter_idx" ON "approvals" USING btree ("tenant_id","voter_id");--> statement-breakpoint
CREATE INDEX "electronic_signatures_entity_idx" ON "electronic_signatures" USING btree ("tenant_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "electronic_signatures_instance_idx" ON "electronic_signatures" USING btree ("tenant_id","instance_id");--> statement-breakpoint
CREATE INDEX "electronic_signatures_signer_idx" ON "electronic_signatures" USING btree ("tenant_id","signer_id");--> statement-breakpoint
CREATE INDEX "electronic_signatures_session_idx" ON "electronic_signatures" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "workflow_action_keys_instance_idx" ON "workflow_action_keys" USING btree ("tenant_id","instance_id");--> statement-breakpoint
CREATE INDEX "workflow_delegations_delegate_idx" ON "workflow_delegations" USING btree ("tenant_id","delegate_id","ends_at");--> statement-breakpoint
CREATE INDEX "workflow_delegations_delegator_idx" ON "workflow_delegations" USING btree ("tenant_id","delegator_id","ends_at");--> statement-breakpoint
CREATE INDEX "workflow_events_instance_idx" ON "workflow_events" USING btree ("tenant_id","instance_id","at");--> statement-breakpoint
CREATE INDEX "workflow_instances_state_idx" ON "workflow_instances" USING btree ("tenant_id","version_id","state_key");--> statement-breakpoint
CREATE INDEX "workflow_instances_workflow_idx" ON "workflow_instances" USING btree ("tenant_id","workflow_id");--> statement-breakpoint
CREATE INDEX "workflow_instances_sla_idx" ON "workflow_instances" USING btree ("sla_due_at") WHERE "workflow_instances"."closed_at" is null and "workflow_instances"."sla_due_at" is not null;--> statement-breakpoint
CREATE INDEX "workflow_instances_plant_idx" ON "workflow_instances" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "workflow_tasks_user_idx" ON "workflow_tasks" USING btree ("tenant_id","assignee_user_id","created_at") WHERE "workflow_tasks"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "workflow_tasks_role_idx" ON "workflow_tasks" USING btree ("tenant_id","assignee_role_id","created_at") WHERE "workflow_tasks"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "workflow_tasks_permission_idx" ON "workflow_tasks" USING btree ("tenant_id","assignee_permission","created_at") WHERE "workflow_tasks"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "workflow_tasks_instance_idx" ON "workflow_tasks" USING btree ("tenant_id","instance_id");--> statement-breakpoint
CREATE INDEX "workflow_transitions_from_idx" ON "workflow_transitions" USING btree ("tenant_id","version_id","from_state");--> statement-breakpoint
CREATE INDEX "workflow_transitions_to_idx" ON "workflow_transitions" USING btree ("tenant_id","version_id","to_state");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_versions_one_draft_key" ON "workflow_versions" USING btree ("tenant_id","workflow_id") WHERE "workflow_versions"."status" = 'draft';