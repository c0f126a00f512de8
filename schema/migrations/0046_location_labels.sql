ALTER TABLE "barcode_labels" DROP CONSTRAINT "barcode_labels_kind_check";--> statement-breakpoint
ALTER TABLE "label_templates" DROP CONSTRAINT "label_templates_kind_check";--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD COLUMN "location_id" uuid;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_location_fk" FOREIGN KEY ("tenant_id","plant_id","location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "barcode_labels_location_idx" ON "barcode_labels" USING btree ("tenant_id","plant_id","location_id");--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_location_check" CHECK (("barcode_labels"."kind" = 'location') = ("barcode_labels"."location_id" is not null));--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_kind_check" CHECK ("kind" in ('pallet_sscc', 'carton', 'product_lot', 'location'));--> statement-breakpoint
ALTER TABLE "label_templates" ADD CONSTRAINT "label_templates_kind_check" CHECK ("kind" in ('pallet_sscc', 'carton', 'product_lot', 'location'));