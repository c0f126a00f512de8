CREATE TABLE "inventory_balance_days" (
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"lot_id" uuid,
	"location_id" uuid NOT NULL,
	"day" date NOT NULL,
	"quantity" numeric NOT NULL,
	CONSTRAINT "inventory_balance_days_key" UNIQUE NULLS NOT DISTINCT("tenant_id","material_id","lot_id","location_id","day")
);
--> statement-breakpoint
CREATE TABLE "inventory_balances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"lot_id" uuid,
	"location_id" uuid NOT NULL,
	"quantity" numeric DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_balances_key" UNIQUE NULLS NOT DISTINCT("tenant_id","material_id","lot_id","location_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"material_id" uuid NOT NULL,
	"lot_id" uuid,
	"location_id" uuid NOT NULL,
	"quantity" numeric NOT NULL,
	"group_id" uuid,
	"reverses_id" uuid,
	"production_order_id" uuid,
	"order_code" text,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "inventory_movements_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "inventory_movements_kind_check" CHECK ("kind" in ('receipt', 'issue', 'transfer_out', 'transfer_in', 'consumption', 'production', 'scrap', 'adjustment', 'reversal')),
	CONSTRAINT "inventory_movements_quantity_check" CHECK ("inventory_movements"."quantity" <> 0),
	CONSTRAINT "inventory_movements_reversal_check" CHECK (("inventory_movements"."kind" = 'reversal') = ("inventory_movements"."reverses_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "inventory_locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"allow_negative" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_locations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "inventory_locations_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "inventory_locations_plant_code_key" UNIQUE("tenant_id","plant_id","code"),
	CONSTRAINT "inventory_locations_kind_check" CHECK ("kind" in ('warehouse', 'bin', 'transit', 'production', 'receiving', 'shipping')),
	CONSTRAINT "inventory_locations_parent_check" CHECK ("inventory_locations"."parent_id" is null or "inventory_locations"."parent_id" <> "inventory_locations"."id")
);
--> statement-breakpoint
CREATE TABLE "material_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"lot_code" text NOT NULL,
	"supplier_lot" text,
	"supplier" text,
	"expires_on" date,
	"produced_at" timestamp with time zone,
	"status" text DEFAULT 'released' NOT NULL,
	"status_reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "material_lots_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "material_lots_material_id_key" UNIQUE("tenant_id","material_id","id"),
	CONSTRAINT "material_lots_code_key" UNIQUE("tenant_id","material_id","lot_code"),
	CONSTRAINT "material_lots_status_check" CHECK ("status" in ('released', 'quarantine', 'blocked', 'consumed'))
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"base_unit" text NOT NULL,
	"lot_tracked" boolean DEFAULT false NOT NULL,
	"serial_tracked" boolean DEFAULT false NOT NULL,
	"shelf_life_days" integer,
	"gtin" text,
	"product_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "materials_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "materials_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "materials_kind_check" CHECK ("kind" in ('raw', 'semi_finished', 'finished', 'packaging')),
	CONSTRAINT "materials_gtin_check" CHECK ("materials"."gtin" is null or "materials"."gtin" ~ '^[0-9]{14}$'),
	CONSTRAINT "materials_shelf_life_check" CHECK ("materials"."shelf_life_days" is null or "materials"."shelf_life_days" > 0),
	CONSTRAINT "materials_product_kind_check" CHECK ("materials"."product_id" is null or "materials"."kind" = 'finished')
);
--> statement-breakpoint
CREATE TABLE "serial_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"serial" text NOT NULL,
	"lot_id" uuid,
	"status" text DEFAULT 'in_stock' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "serial_numbers_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "serial_numbers_serial_key" UNIQUE("tenant_id","material_id","serial"),
	CONSTRAINT "serial_numbers_status_check" CHECK ("status" in ('in_stock', 'consumed', 'shipped', 'scrapped'))
);
--> statement-breakpoint
CREATE TABLE "unit_conversions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"from_unit" text NOT NULL,
	"to_unit" text NOT NULL,
	"factor" numeric NOT NULL,
	"material_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_conversions_key" UNIQUE NULLS NOT DISTINCT("tenant_id","from_unit","to_unit","material_id"),
	CONSTRAINT "unit_conversions_factor_check" CHECK ("unit_conversions"."factor" > 0),
	CONSTRAINT "unit_conversions_units_check" CHECK ("unit_conversions"."from_unit" <> "unit_conversions"."to_unit")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"dimension" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "units_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "units_dimension_check" CHECK ("dimension" in ('count', 'mass', 'length', 'volume', 'time'))
);
--> statement-breakpoint
ALTER TABLE "inventory_balance_days" ADD CONSTRAINT "inventory_balance_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_balance_days" ADD CONSTRAINT "inventory_balance_days_location_fk" FOREIGN KEY ("tenant_id","plant_id","location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_balance_days" ADD CONSTRAINT "inventory_balance_days_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_location_fk" FOREIGN KEY ("tenant_id","plant_id","location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_lot_fk" FOREIGN KEY ("tenant_id","material_id","lot_id") REFERENCES "public"."material_lots"("tenant_id","material_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_location_fk" FOREIGN KEY ("tenant_id","plant_id","location_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_reverses_fk" FOREIGN KEY ("tenant_id","reverses_id") REFERENCES "public"."inventory_movements"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_order_fk" FOREIGN KEY ("tenant_id","production_order_id") REFERENCES "public"."production_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_recorded_by_fk" FOREIGN KEY ("tenant_id","recorded_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD CONSTRAINT "inventory_locations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD CONSTRAINT "inventory_locations_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_locations" ADD CONSTRAINT "inventory_locations_parent_fk" FOREIGN KEY ("tenant_id","plant_id","parent_id") REFERENCES "public"."inventory_locations"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_lots" ADD CONSTRAINT "material_lots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_lots" ADD CONSTRAINT "material_lots_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_lots" ADD CONSTRAINT "material_lots_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_base_unit_fk" FOREIGN KEY ("tenant_id","base_unit") REFERENCES "public"."units"("tenant_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_numbers" ADD CONSTRAINT "serial_numbers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_numbers" ADD CONSTRAINT "serial_numbers_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_numbers" ADD CONSTRAINT "serial_numbers_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_numbers" ADD CONSTRAINT "serial_numbers_lot_fk" FOREIGN KEY ("tenant_id","material_id","lot_id") REFERENCES "public"."material_lots"("tenant_id","material_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_conversions" ADD CONSTRAINT "unit_conversions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_conversions" ADD CONSTRAINT "unit_conversions_from_fk" FOREIGN KEY ("tenant_id","from_unit") REFERENCES "public"."units"("tenant_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_conversions" ADD CONSTRAINT "unit_conversions_to_fk" FOREIGN KEY ("tenant_id","to_unit") REFERENCES "public"."units"("tenant_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_conversions" ADD CONSTRAINT "unit_conversions_material_fk" FOREIGN KEY ("tenant_id","material_id") REFERENCES "public"."materials"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_balance_days_location_idx" ON "inventory_balance_days" USING btree ("tenant_id","plant_id","location_id","day");--> statement-breakpoint
CREATE INDEX "inventory_balance_days_lot_idx" ON "inventory_balance_days" USING btree ("tenant_id","lot_id","day");--> statement-breakpoint
CREATE INDEX "inventory_balances_location_idx" ON "inventory_balances" USING btree ("tenant_id","plant_id","location_id");--> statement-breakpoint
CREATE INDEX "inventory_balances_lot_idx" ON "inventory_balances" USING btree ("tenant_id","lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_movements_reverses_key" ON "inventory_movements" USING btree ("tenant_id","reverses_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_stock_idx" ON "inventory_movements" USING btree ("tenant_id","material_id","lot_id","location_id","time");--> statement-breakpoint
CREATE INDEX "inventory_movements_history_idx" ON "inventory_movements" USING btree ("tenant_id","plant_id","time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inventory_movements_lot_idx" ON "inventory_movements" USING btree ("tenant_id","lot_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_location_idx" ON "inventory_movements" USING btree ("tenant_id","plant_id","location_id","time");--> statement-breakpoint
CREATE INDEX "inventory_movements_group_idx" ON "inventory_movements" USING btree ("tenant_id","group_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_order_idx" ON "inventory_movements" USING btree ("tenant_id","production_order_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_recorded_by_idx" ON "inventory_movements" USING btree ("tenant_id","recorded_by");--> statement-breakpoint
CREATE INDEX "inventory_locations_parent_idx" ON "inventory_locations" USING btree ("tenant_id","plant_id","parent_id");--> statement-breakpoint
CREATE INDEX "material_lots_supplier_lot_idx" ON "material_lots" USING btree ("tenant_id","supplier_lot");--> statement-breakpoint
CREATE INDEX "material_lots_plant_idx" ON "material_lots" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "materials_product_key" ON "materials" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "materials_gtin_key" ON "materials" USING btree ("tenant_id","gtin");--> statement-breakpoint
CREATE INDEX "materials_base_unit_idx" ON "materials" USING btree ("tenant_id","base_unit");--> statement-breakpoint
CREATE INDEX "serial_numbers_lot_idx" ON "serial_numbers" USING btree ("tenant_id","material_id","lot_id");--> statement-breakpoint
CREATE INDEX "serial_numbers_plant_idx" ON "serial_numbers" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "unit_conversions_to_idx" ON "unit_conversions" USING btree ("tenant_id","to_unit");--> statement-breakpoint
CREATE INDEX "unit_conversions_material_idx" ON "unit_conversions" USING btree ("tenant_id","material_id");--> statement-breakpoint
-- Hand-written (docs/materials.md): units, materials, lots and serials are the tenant's, seen from
-- every plant, since a lot made in one plant is received in another; locations, the ledger and its
-- balances belong to one plant.
SELECT plantline.apply_tenant_rls('units', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('unit_conversions', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('materials', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('material_lots', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('serial_numbers', 'tenant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inventory_locations', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inventory_movements', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inventory_balance_days', 'tenant_id', 'plant_id');
--> statement-breakpoint
SELECT plantline.apply_tenant_rls('inventory_balances', 'tenant_id', 'plant_id');
--> statement-breakpoint
-- The ledger is append-only like the audit trail: the application role may add and read movements,
-- and triggers refuse rewriting them to every role that holds the privilege (docs/materials.md,
-- "The ledger"). The rollups are only ever added to.
REVOKE UPDATE, DELETE, TRUNCATE ON inventory_movements FROM plantline_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON inventory_balance_days, inventory_balances FROM plantline_app;
--> statement-breakpoint
CREATE TRIGGER inventory_movements_append_only BEFORE UPDATE OR DELETE ON inventory_movements
  FOR EACH ROW EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
CREATE TRIGGER inventory_movements_no_truncate BEFORE TRUNCATE ON inventory_movements
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.refuse_audit_rewrite();
--> statement-breakpoint
-- Each movement adds to its UTC day's bucket and to the current balance in the transaction that
-- records it, so no movement exists without its rollups and a back-dated one needs no repost.
CREATE FUNCTION plantline.roll_up_inventory_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.inventory_balance_days AS d
    (tenant_id, plant_id, material_id, lot_id, location_id, day, quantity)
  VALUES (NEW.tenant_id, NEW.plant_id, NEW.material_id, NEW.lot_id, NEW.location_id,
    (NEW.time AT TIME ZONE 'UTC')::date, NEW.quantity)
  ON CONFLICT (tenant_id, material_id, lot_id, location_id, day)
    DO UPDATE SET quantity = d.quantity + excluded.quantity;
  INSERT INTO public.inventory_balances AS b (tenant_id, plant_id, material_id, lot_id, location_id, quantity)
  VALUES (NEW.tenant_id, NEW.plant_id, NEW.material_id, NEW.lot_id, NEW.location_id, NEW.quantity)
  ON CONFLICT (tenant_id, material_id, lot_id, location_id)
    DO UPDATE SET quantity = b.quantity + excluded.quantity, updated_at = now();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER inventory_movements_roll_up AFTER INSERT ON inventory_movements
  FOR EACH ROW EXECUTE FUNCTION plantline.roll_up_inventory_movement();
--> statement-breakpoint
-- The dimension of a unit code a product names, for the unit made from it; anything unknown counts.
CREATE FUNCTION plantline.unit_dimension_of(code text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN lower(code) IN ('g', 'kg', 't', 'lb', 'oz') THEN 'mass'
    WHEN lower(code) IN ('mm', 'cm', 'm', 'km', 'in', 'ft') THEN 'length'
    WHEN lower(code) IN ('ml', 'l', 'm3', 'gal') THEN 'volume'
    WHEN lower(code) IN ('s', 'min', 'h') THEN 'time'
    ELSE 'count' END
$$;
--> statement-breakpoint
-- Materials are found by search; a product's finished material is found as the product, so its
-- document, which would repeat the product's, is taken out again as soon as it is written (these
-- triggers' names sort after register_search's, and statement triggers fire in name order).
SELECT plantline.register_search('materials', 'material', 'code', 'name', ARRAY['kind', 'gtin']);
--> statement-breakpoint
CREATE FUNCTION plantline.unlist_product_materials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public.search_documents d USING new_rows r
   WHERE d.tenant_id = r.tenant_id AND d.entity_type = 'material' AND d.entity_id = r.id::text
     AND r.product_id IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER search_unlist_insert AFTER INSERT ON materials REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.unlist_product_materials();
--> statement-breakpoint
CREATE TRIGGER search_unlist_update AFTER UPDATE ON materials REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION plantline.unlist_product_materials();
--> statement-breakpoint
-- Every product is a finished material, linked one to one (docs/materials.md, "Products"): the
-- existing products get theirs here, tenant by tenant within that tenant's scope so a migration
-- owner that is not a superuser passes the forced policies too.
DO $$
DECLARE tenant uuid;
BEGIN
  FOR tenant IN SELECT id FROM public.tenants LOOP
    PERFORM set_config('plantline.tenant_id', tenant::text, true), set_config('plantline.all_plants', 'on', true);
    INSERT INTO public.units (tenant_id, code, name, dimension)
      SELECT DISTINCT tenant_id, unit, unit, plantline.unit_dimension_of(unit) FROM public.products
      WHERE tenant_id = tenant
      ON CONFLICT (tenant_id, code) DO NOTHING;
    INSERT INTO public.materials (tenant_id, code, name, kind, base_unit, gtin, product_id, is_active)
      SELECT tenant_id, code, name, 'finished', unit, gtin, id, is_active FROM public.products
      WHERE tenant_id = tenant
      ON CONFLICT (tenant_id, product_id) DO NOTHING;
  END LOOP;
  PERFORM set_config('plantline.tenant_id', '', true), set_config('plantline.all_plants', '', true);
END $$;
--> statement-breakpoint
-- A new product gets its material in the same statement; a renamed one renames it. The material
-- keeps the base unit it was made with, since its ledger is counted in it.
CREATE FUNCTION plantline.finished_material_of_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.units (tenant_id, code, name, dimension)
      VALUES (NEW.tenant_id, NEW.unit, NEW.unit, plantline.unit_dimension_of(NEW.unit))
      ON CONFLICT (tenant_id, code) DO NOTHING;
    INSERT INTO public.materials (tenant_id, code, name, kind, base_unit, gtin, product_id, is_active)
      VALUES (NEW.tenant_id, NEW.code, NEW.name, 'finished', NEW.unit, NEW.gtin, NEW.id, NEW.is_active);
  ELSE
    UPDATE public.materials SET code = NEW.code, name = NEW.name, gtin = NEW.gtin, is_active = NEW.is_active
      WHERE tenant_id = NEW.tenant_id AND product_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER products_finished_material AFTER INSERT OR UPDATE OF code, name, gtin, is_active ON products
  FOR EACH ROW EXECUTE FUNCTION plantline.finished_material_of_product();
--> statement-breakpoint
SELECT plantline.register_search('material_lots', 'material_lot', 'lot_code', 'supplier_lot',
  ARRAY['supplier', 'status']);
