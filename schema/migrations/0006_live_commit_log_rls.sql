-- Hand-written (docs/architecture.md, "The commit log and the live stream"): the live stream's
-- commit log is tenant data like any other. Not plant-scoped: one commit may hold several plants'
-- events, and a replay reaches the events themselves through their tables, whose plant policies
-- decide what the caller sees.
SELECT plantline.apply_tenant_rls('event_streams', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('event_commits', 'tenant_id');
