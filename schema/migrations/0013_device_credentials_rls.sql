-- Hand-written: row-level security for device credentials, like api_keys but plant-scoped, so an
-- edge's API key (and a user limited to some plants) sees only the credentials of its plants.
SELECT plantline.apply_tenant_rls('device_credentials', 'tenant_id', 'plant_id');
