-- Hand-written (docs/logistics.md, "Scanning at a station"): a station's task is its plant's, seen
-- and changed by that plant's users only.
SELECT plantline.apply_tenant_rls('station_tasks', 'tenant_id', 'plant_id');
