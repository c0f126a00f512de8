CREATE TABLE "lot_genealogy" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"parent_lot_id" uuid NOT NULL,
	"child_lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" numeric NOT NULL,
	"production_order_id" uuid,
	"group_id" uuid,
	"movement_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_genealogy_kind_check" CHECK ("kind" in ('production', 'split', 'merge', 'rework')),
	CONSTRAINT "lot_genealogy_quantity_check" CHECK ("lot_genealogy"."quantity" > 0),
	CONSTRAINT "lot_genealogy_not_self_check" CHECK ("lot_genealogy"."parent_lot_id" <> "lot_genealogy"."child_lot_id"),
	CONSTRAINT "lot_genealogy_order_check" CHECK (("lot_genealogy"."kind" = 'production') = ("lot_genealogy"."production_order_id" is not null)),
	CONSTRAINT "lot_genealogy_act_group_check" CHECK ("lot_genealogy"."kind" = 'production' or "lot_genealogy"."group_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_parent_fk" FOREIGN KEY ("tenant_id","parent_lot_id") REFERENCES "public"."material_lots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_child_fk" FOREIGN KEY ("tenant_id","child_lot_id") REFERENCES "public"."material_lots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_order_fk" FOREIGN KEY ("tenant_id","production_order_id") REFERENCES "public"."production_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_genealogy" ADD CONSTRAINT "lot_genealogy_movement_fk" FOREIGN KEY ("tenant_id","movement_id") REFERENCES "public"."inventory_movements"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_genealogy_forward_idx" ON "lot_genealogy" USING btree ("tenant_id","parent_lot_id","child_lot_id");--> statement-breakpoint
CREATE INDEX "lot_genealogy_backward_idx" ON "lot_genealogy" USING btree ("tenant_id","child_lot_id","parent_lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lot_genealogy_order_key" ON "lot_genealogy" USING btree ("tenant_id","production_order_id","parent_lot_id","child_lot_id") WHERE "lot_genealogy"."kind" = 'production';--> statement-breakpoint
CREATE UNIQUE INDEX "lot_genealogy_act_key" ON "lot_genealogy" USING btree ("tenant_id","group_id","parent_lot_id","child_lot_id") WHERE "lot_genealogy"."kind" <> 'production';--> statement-breakpoint
CREATE INDEX "lot_genealogy_group_idx" ON "lot_genealogy" USING btree ("tenant_id","group_id");--> statement-breakpoint
CREATE INDEX "lot_genealogy_plant_idx" ON "lot_genealogy" USING btree ("tenant_id","plant_id");--> statement-breakpoint
CREATE INDEX "lot_genealogy_movement_idx" ON "lot_genealogy" USING btree ("tenant_id","movement_id");--> statement-breakpoint
-- Genealogy is the tenant's, like lots: a lot made in one plant is traced from every plant
-- (docs/materials.md, "Genealogy"); `plant_id` records where the act that made an edge happened.
SELECT plantline.apply_tenant_rls('lot_genealogy', 'tenant_id');
--> statement-breakpoint
-- What one production order made from what it consumed: every lot it consumed (net of reversals)
-- into every lot it produced (net of reversals), the consumed quantity shared among the produced
-- lots in proportion to how much of each was produced (docs/materials.md, "How quantities are
-- attributed"). A lot both consumed and produced by the order gets no edge to itself.
CREATE FUNCTION plantline.order_lot_flows(p_tenant uuid, p_order uuid)
RETURNS TABLE (parent_lot_id uuid, child_lot_id uuid, quantity numeric) LANGUAGE sql STABLE AS $$
  WITH lot_moves AS (
    SELECT m.lot_id, coalesce(r.kind, m.kind) AS kind, m.quantity
      FROM public.inventory_movements m
      LEFT JOIN public.inventory_movements r ON r.tenant_id = m.tenant_id AND r.id = m.reverses_id
     WHERE m.tenant_id = p_tenant AND m.production_order_id = p_order AND m.lot_id IS NOT NULL
  ), consumed AS (
    SELECT lot_id, -sum(quantity) AS quantity FROM lot_moves WHERE kind = 'consumption'
     GROUP BY lot_id HAVING sum(quantity) < 0
  ), produced AS (
    SELECT lot_id, sum(quantity) AS quantity FROM lot_moves WHERE kind = 'production'
     GROUP BY lot_id HAVING sum(quantity) > 0
  ), shares AS (
    SELECT c.lot_id AS parent_lot_id, p.lot_id AS child_lot_id,
           round(c.quantity * p.quantity / (SELECT sum(quantity) FROM produced), 9) AS quantity
      FROM consumed c CROSS JOIN produced p
     WHERE c.lot_id <> p.lot_id
  )
  SELECT parent_lot_id, child_lot_id, trim_scale(quantity) FROM shares WHERE quantity > 0
$$;
--> statement-breakpoint
-- Genealogy written by production, in the transaction of the movements: the edges of every order a
-- statement's lot movements belong to are recomputed from the ledger, so a consumption and a
-- production for one order link their lots whichever comes first, and a reversal takes its share
-- back. A reversal of a split, merge or rework takes that act's edges away with it.
CREATE FUNCTION plantline.derive_lot_genealogy() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  act record;
BEGIN
  FOR act IN
    SELECT DISTINCT ON (n.tenant_id, n.production_order_id)
           n.tenant_id, n.production_order_id, n.plant_id, n.group_id, n.id
      FROM new_rows n
     WHERE n.production_order_id IS NOT NULL AND n.lot_id IS NOT NULL
       AND n.kind IN ('consumption', 'production', 'reversal')
     ORDER BY n.tenant_id, n.production_order_id, n.id
  LOOP
    -- One recomputation of an order at a time: a transaction waits here for another that is writing
    -- the same order's movements to commit, then reads them, so concurrent consumption and output of
    -- one order cannot each miss the other's lot.
    PERFORM pg_advisory_xact_lock(hashtextextended('lot_genealogy:' || act.production_order_id::text, 0));
    DELETE FROM public.lot_genealogy g
     WHERE g.tenant_id = act.tenant_id AND g.kind = 'production'
       AND g.production_order_id = act.production_order_id
       AND NOT EXISTS (
         SELECT 1 FROM plantline.order_lot_flows(act.tenant_id, act.production_order_id) f
          WHERE f.parent_lot_id = g.parent_lot_id AND f.child_lot_id = g.child_lot_id);
    INSERT INTO public.lot_genealogy AS g (tenant_id, plant_id, parent_lot_id, child_lot_id, kind,
        quantity, production_order_id, group_id, movement_id)
      SELECT act.tenant_id, act.plant_id, f.parent_lot_id, f.child_lot_id, 'production', f.quantity,
             act.production_order_id, act.group_id, act.id
        FROM plantline.order_lot_flows(act.tenant_id, act.production_order_id) f
      ON CONFLICT (tenant_id, production_order_id, parent_lot_id, child_lot_id) WHERE kind = 'production'
        DO UPDATE SET quantity = excluded.quantity, updated_at = now() WHERE g.quantity <> excluded.quantity;
  END LOOP;
  DELETE FROM public.lot_genealogy g
   USING new_rows n, public.inventory_movements r
   WHERE n.kind = 'reversal' AND n.production_order_id IS NULL AND n.lot_id IS NOT NULL
     AND r.tenant_id = n.tenant_id AND r.id = n.reverses_id AND r.group_id IS NOT NULL
     AND g.tenant_id = n.tenant_id AND g.group_id = r.group_id AND g.kind <> 'production'
     AND (g.parent_lot_id = n.lot_id OR g.child_lot_id = n.lot_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER inventory_movements_genealogy AFTER INSERT ON inventory_movements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plantline.derive_lot_genealogy();
