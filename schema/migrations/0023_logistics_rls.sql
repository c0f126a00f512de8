-- Hand-written (docs/logistics.md, docs/labels.md): row-level security for the logistics domain,
-- the references between packages and transfers (the two table files cannot import each other),
-- the append-only promise history, and search registration.
--
-- Customers, their addresses, carriers, label templates and SSCC sequences are tenant-wide. What a
-- plant ships and prints is that plant's. A transfer, its items and receipts, and the packages and
-- contents that travel with it, are seen by the users of either plant and by nobody else.
CREATE FUNCTION plantline.apply_two_plant_rls(tbl regclass, first_plant text, second_plant text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cond text := format('tenant_id = (SELECT plantline.current_tenant_id()) AND ((SELECT plantline.all_plants())'
    || ' OR %1$I = ANY ((SELECT plantline.current_plant_ids())::uuid[])'
    || ' OR %2$I = ANY ((SELECT plantline.current_plant_ids())::uuid[]))', first_plant, second_plant);
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', tbl, cond, cond);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION plantline.apply_two_plant_rls(regclass, text, text) FROM PUBLIC;
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('customers');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('customer_addresses');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('carriers');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('delivery_requests', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('delivery_promises', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('shipments', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('shipment_items', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('packages', 'plant_id', 'to_plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('package_contents', 'plant_id', 'to_plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('packing_scans', 'plant_id', 'to_plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('sscc_sequences');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('label_templates');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('printers', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('barcode_labels', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('label_prints', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('transfer_orders', 'from_plant_id', 'to_plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('transfer_items', 'from_plant_id', 'to_plant_id');
--> statement-breakpoint
SELECT plantline.apply_two_plant_rls('transfer_receipts', 'from_plant_id', 'to_plant_id');
--> statement-breakpoint
-- A package or content of a transfer names the transfer's plants: packed at the sending plant, bound
-- for the receiving one. The references include both plants, so a row cannot claim another pair.
ALTER TABLE transfer_orders ADD CONSTRAINT transfer_orders_tenant_plants_id_key
  UNIQUE (tenant_id, from_plant_id, to_plant_id, id);
--> statement-breakpoint
ALTER TABLE transfer_items ADD CONSTRAINT transfer_items_tenant_plants_id_key
  UNIQUE (tenant_id, from_plant_id, to_plant_id, id);
--> statement-breakpoint
ALTER TABLE packages ADD CONSTRAINT packages_transfer_fk FOREIGN KEY (tenant_id, plant_id, to_plant_id, transfer_order_id)
  REFERENCES transfer_orders (tenant_id, from_plant_id, to_plant_id, id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE package_contents ADD CONSTRAINT package_contents_transfer_item_fk FOREIGN KEY (tenant_id, plant_id, to_plant_id, transfer_item_id)
  REFERENCES transfer_items (tenant_id, from_plant_id, to_plant_id, id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE transfer_items ADD CONSTRAINT transfer_items_order_plants_fk FOREIGN KEY (tenant_id, from_plant_id, to_plant_id, transfer_order_id)
  REFERENCES transfer_orders (tenant_id, from_plant_id, to_plant_id, id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE transfer_receipts ADD CONSTRAINT transfer_receipts_order_plants_fk FOREIGN KEY (tenant_id, from_plant_id, to_plant_id, transfer_order_id)
  REFERENCES transfer_orders (tenant_id, from_plant_id, to_plant_id, id) ON DELETE CASCADE;
--> statement-breakpoint
CREATE INDEX packages_transfer_plants_idx ON packages (tenant_id, plant_id, to_plant_id, transfer_order_id);
--> statement-breakpoint
CREATE INDEX package_contents_transfer_plants_idx ON package_contents (tenant_id, plant_id, to_plant_id, transfer_item_id);
--> statement-breakpoint
CREATE INDEX transfer_items_order_plants_idx ON transfer_items (tenant_id, from_plant_id, to_plant_id, transfer_order_id);
--> statement-breakpoint
CREATE INDEX transfer_receipts_order_plants_idx ON transfer_receipts (tenant_id, from_plant_id, to_plant_id, transfer_order_id);
--> statement-breakpoint
-- A promise is history: the first one stays the first (OTD "to first promise"), a new date is a new row.
REVOKE UPDATE, DELETE, TRUNCATE ON delivery_promises FROM plantline_app;
--> statement-breakpoint
CREATE TRIGGER delivery_promises_append_only BEFORE UPDATE ON delivery_promises
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
-- Scans are what the station answered; they are never rewritten.
REVOKE UPDATE, DELETE, TRUNCATE ON packing_scans FROM plantline_app;
--> statement-breakpoint
SELECT plantline.register_search('customers', 'customer', 'code', 'name', ARRAY['email', 'notes', 'gln']);
--> statement-breakpoint
SELECT plantline.register_search('carriers', 'carrier', 'code', 'name');
--> statement-breakpoint
SELECT plantline.register_search('delivery_requests', 'delivery_request', 'number', 'customer_po',
  ARRAY['note'], 'plant_id');
--> statement-breakpoint
SELECT plantline.register_search('shipments', 'shipment', 'number', 'customer_po',
  ARRAY['tracking_number', 'note'], 'plant_id');
--> statement-breakpoint
-- Search documents carry one plant: a transfer is found through the sending plant's reach.
SELECT plantline.register_search('transfer_orders', 'transfer_order', 'number', 'tracking_number',
  ARRAY['note'], 'from_plant_id');
--> statement-breakpoint
-- The references above hold only when both plants are named (MATCH SIMPLE skips rows with a null):
-- a transfer's package names where it goes, a shipment's package goes to a customer, not a plant.
ALTER TABLE packages ADD CONSTRAINT packages_destination_check
  CHECK ((transfer_order_id IS NULL) = (to_plant_id IS NULL));
--> statement-breakpoint
ALTER TABLE package_contents ADD CONSTRAINT package_contents_destination_check
  CHECK ((transfer_item_id IS NULL) = (to_plant_id IS NULL));
