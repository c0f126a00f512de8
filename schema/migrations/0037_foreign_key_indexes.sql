-- Every foreign key's referencing columns lead an index (cloud/src/db/rls.test.ts, "indexes every
-- foreign key"), so checking or removing a referenced row never scans: these are the BOM, order
-- materials and consume-scan tables' keys.
CREATE INDEX "bom_items_unit_idx" ON "bom_items" USING btree ("tenant_id","unit");--> statement-breakpoint
CREATE INDEX "production_order_materials_order_idx" ON "production_order_materials" USING btree ("tenant_id","plant_id","production_order_id");--> statement-breakpoint
CREATE INDEX "production_orders_bom_idx" ON "production_orders" USING btree ("tenant_id","bom_id");--> statement-breakpoint
CREATE INDEX "production_orders_line_side_idx" ON "production_orders" USING btree ("tenant_id","plant_id","line_side_location_id");--> statement-breakpoint
CREATE INDEX "consumption_scans_order_idx" ON "consumption_scans" USING btree ("tenant_id","production_order_id");--> statement-breakpoint
CREATE INDEX "consumption_scans_lot_idx" ON "consumption_scans" USING btree ("tenant_id","material_id","lot_id");--> statement-breakpoint
CREATE INDEX "consumption_scans_location_idx" ON "consumption_scans" USING btree ("tenant_id","plant_id","location_id");