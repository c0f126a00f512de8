-- Hand-written (docs/reports.md, "Schedules"): the delivery log of scheduled runs is its plant's, like
-- the runs and schedules; one with no plant is seen only by people who reach every plant.
SELECT plantline.apply_tenant_rls('report_deliveries', 'tenant_id', 'plant_id');
