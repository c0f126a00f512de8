CREATE TABLE "carriers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"tracking_url" text DEFAULT '' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carriers_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "carriers_tenant_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "customer_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"label" text NOT NULL,
	"name" text NOT NULL,
	"street" text DEFAULT '' NOT NULL,
	"street2" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"city" text DEFAULT '' NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"country" text NOT NULL,
	"gln" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_addresses_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "customer_addresses_tenant_customer_id_key" UNIQUE("tenant_id","customer_id","id"),
	CONSTRAINT "customer_addresses_gln_check" CHECK ("customer_addresses"."gln" is null or "customer_addresses"."gln" ~ '^[0-9]{13}$'),
	CONSTRAINT "customer_addresses_country_check" CHECK ("customer_addresses"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"gln" text,
	"email" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"otd_policy" jsonb,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "customers_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "customers_gln_check" CHECK ("customers"."gln" is null or "customers"."gln" ~ '^[0-9]{13}$')
);
--> statement-breakpoint
CREATE TABLE "delivery_promises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"promised_date" date NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"promised_by" uuid,
	"promised_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"ship_to_id" uuid NOT NULL,
	"customer_po" text DEFAULT '' NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric NOT NULL,
	"requested_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_requests_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "delivery_requests_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "delivery_requests_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "delivery_requests_status_check" CHECK ("status" in ('open', 'partially_shipped', 'shipped', 'cancelled')),
	CONSTRAINT "delivery_requests_quantity_check" CHECK ("delivery_requests"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "barcode_labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"template_id" uuid,
	"template_version" integer,
	"package_id" uuid,
	"shipment_id" uuid,
	"sscc" text,
	"element_string" text DEFAULT '' NOT NULL,
	"data" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "barcode_labels_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "barcode_labels_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "barcode_labels_kind_check" CHECK ("kind" in ('pallet_sscc', 'carton', 'product_lot'))
);
--> statement-breakpoint
CREATE TABLE "label_prints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"label_id" uuid NOT NULL,
	"printer_id" uuid NOT NULL,
	"copies" integer DEFAULT 1 NOT NULL,
	"reprint" boolean DEFAULT false NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"printer_status" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "label_prints_status_check" CHECK ("status" in ('queued', 'sent', 'printed', 'failed')),
	CONSTRAINT "label_prints_copies_check" CHECK ("label_prints"."copies" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "label_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"definition" jsonb NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_templates_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "label_templates_tenant_key_key" UNIQUE("tenant_id","key"),
	CONSTRAINT "label_templates_kind_check" CHECK ("kind" in ('pallet_sscc', 'carton', 'product_lot'))
);
--> statement-breakpoint
CREATE TABLE "printers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 9100 NOT NULL,
	"dots_per_mm" integer DEFAULT 8 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "printers_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "printers_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "printers_tenant_plant_code_key" UNIQUE("tenant_id","plant_id","code"),
	CONSTRAINT "printers_port_check" CHECK ("printers"."port" between 1 and 65535),
	CONSTRAINT "printers_density_check" CHECK ("printers"."dots_per_mm" in (6, 8, 12, 24))
);
--> statement-breakpoint
CREATE TABLE "package_contents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"to_plant_id" uuid,
	"package_id" uuid NOT NULL,
	"shipment_item_id" uuid,
	"transfer_item_id" uuid,
	"product_id" uuid NOT NULL,
	"gtin" text,
	"lot" text,
	"serial" text,
	"expiry" date,
	"quantity" numeric NOT NULL,
	"scan_event_id" uuid,
	"packed_by" uuid,
	"packed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_contents_quantity_check" CHECK ("package_contents"."quantity" > 0),
	CONSTRAINT "package_contents_for_one_check" CHECK (num_nonnulls("package_contents"."shipment_item_id", "package_contents"."transfer_item_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"to_plant_id" uuid,
	"shipment_id" uuid,
	"transfer_order_id" uuid,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"sscc" text,
	"status" text DEFAULT 'open' NOT NULL,
	"gross_weight_kg" numeric,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "packages_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "packages_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "packages_kind_check" CHECK ("kind" in ('pallet', 'carton', 'case')),
	CONSTRAINT "packages_status_check" CHECK ("status" in ('open', 'closed', 'shipped', 'received')),
	CONSTRAINT "packages_sscc_check" CHECK ("packages"."sscc" is null or "packages"."sscc" ~ '^[0-9]{18}$'),
	CONSTRAINT "packages_carries_one_check" CHECK (num_nonnulls("packages"."shipment_id", "packages"."transfer_order_id") = 1),
	CONSTRAINT "packages_weight_check" CHECK ("packages"."gross_weight_kg" is null or "packages"."gross_weight_kg" >= 0)
);
--> statement-breakpoint
CREATE TABLE "packing_scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"to_plant_id" uuid,
	"shipment_id" uuid,
	"transfer_order_id" uuid,
	"station_id" uuid,
	"scan_event_id" uuid,
	"data" text NOT NULL,
	"result" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"detail" jsonb,
	"source" text NOT NULL,
	"scanned_by" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "packing_scans_result_check" CHECK ("result" in ('ok', 'wrong_item', 'wrong_lot', 'expired', 'over_quantity', 'not_in_shipment', 'bad_check_digit', 'duplicate', 'unreadable')),
	CONSTRAINT "packing_scans_source_check" CHECK ("source" in ('edge', 'browser'))
);
--> statement-breakpoint
CREATE TABLE "shipment_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"shipment_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"delivery_request_id" uuid,
	"product_id" uuid NOT NULL,
	"lot" text,
	"quantity" numeric NOT NULL,
	"packed_quantity" numeric DEFAULT '0' NOT NULL,
	"backorder_of_item_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipment_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shipment_items_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "shipment_items_line_key" UNIQUE("tenant_id","shipment_id","line_no"),
	CONSTRAINT "shipment_items_quantity_check" CHECK ("shipment_items"."quantity" > 0),
	CONSTRAINT "shipment_items_packed_check" CHECK ("shipment_items"."packed_quantity" >= 0 and "shipment_items"."packed_quantity" <= "shipment_items"."quantity")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"ship_to_id" uuid NOT NULL,
	"customer_po" text DEFAULT '' NOT NULL,
	"carrier_id" uuid,
	"tracking_number" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"planned_ship_date" date,
	"shipped_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"backorder_of_id" uuid,
	"late_reason" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipments_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "shipments_tenant_plant_id_key" UNIQUE("tenant_id","plant_id","id"),
	CONSTRAINT "shipments_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "shipments_status_check" CHECK ("status" in ('draft', 'picking', 'packed', 'shipped', 'delivered', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "sscc_sequences" (
	"tenant_id" uuid NOT NULL,
	"company_prefix" text NOT NULL,
	"extension_digit" integer NOT NULL,
	"last_serial" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sscc_sequences_tenant_id_company_prefix_extension_digit_pk" PRIMARY KEY("tenant_id","company_prefix","extension_digit"),
	CONSTRAINT "sscc_sequences_prefix_check" CHECK ("sscc_sequences"."company_prefix" ~ '^[0-9]{6,12}$'),
	CONSTRAINT "sscc_sequences_extension_check" CHECK ("sscc_sequences"."extension_digit" between 0 and 9),
	CONSTRAINT "sscc_sequences_serial_check" CHECK ("sscc_sequences"."last_serial" >= 0)
);
--> statement-breakpoint
CREATE TABLE "transfer_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"from_plant_id" uuid NOT NULL,
	"to_plant_id" uuid NOT NULL,
	"transfer_order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"lot" text,
	"quantity" numeric NOT NULL,
	"packed_quantity" numeric DEFAULT '0' NOT NULL,
	"received_quantity" numeric DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_items_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "transfer_items_line_key" UNIQUE("tenant_id","transfer_order_id","line_no"),
	CONSTRAINT "transfer_items_quantity_check" CHECK ("transfer_items"."quantity" > 0),
	CONSTRAINT "transfer_items_packed_check" CHECK ("transfer_items"."packed_quantity" >= 0 and "transfer_items"."packed_quantity" <= "transfer_items"."quantity"),
	CONSTRAINT "transfer_items_received_check" CHECK ("transfer_items"."received_quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "transfer_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"from_plant_id" uuid NOT NULL,
	"to_plant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"carrier_id" uuid,
	"tracking_number" text DEFAULT '' NOT NULL,
	"shipped_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_orders_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "transfer_orders_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "transfer_orders_status_check" CHECK ("status" in ('draft', 'picking', 'in_transit', 'received', 'cancelled')),
	CONSTRAINT "transfer_orders_two_plants_check" CHECK ("transfer_orders"."from_plant_id" <> "transfer_orders"."to_plant_id")
);
--> statement-breakpoint
CREATE TABLE "transfer_receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"from_plant_id" uuid NOT NULL,
	"to_plant_id" uuid NOT NULL,
	"transfer_order_id" uuid NOT NULL,
	"package_id" uuid,
	"transfer_item_id" uuid,
	"sscc" text,
	"expected_quantity" numeric NOT NULL,
	"received_quantity" numeric NOT NULL,
	"discrepancy" text,
	"note" text DEFAULT '' NOT NULL,
	"received_by" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_receipts_discrepancy_check" CHECK ("discrepancy" is null or "discrepancy" in ('short', 'over', 'damaged', 'wrong_item', 'wrong_lot', 'missing_package')),
	CONSTRAINT "transfer_receipts_reason_check" CHECK ("transfer_receipts"."received_quantity" = "transfer_receipts"."expected_quantity" or "transfer_receipts"."discrepancy" is not null),
	CONSTRAINT "transfer_receipts_quantity_check" CHECK ("transfer_receipts"."received_quantity" >= 0 and "transfer_receipts"."expected_quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "gtin" text;--> statement-breakpoint
ALTER TABLE "carriers" ADD CONSTRAINT "carriers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_promises" ADD CONSTRAINT "delivery_promises_request_fk" FOREIGN KEY ("tenant_id","plant_id","request_id") REFERENCES "public"."delivery_requests"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_promises" ADD CONSTRAINT "delivery_promises_promised_by_fk" FOREIGN KEY ("tenant_id","promised_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_customer_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_ship_to_fk" FOREIGN KEY ("tenant_id","customer_id","ship_to_id") REFERENCES "public"."customer_addresses"("tenant_id","customer_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_requests" ADD CONSTRAINT "delivery_requests_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_template_fk" FOREIGN KEY ("tenant_id","template_id") REFERENCES "public"."label_templates"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_package_fk" FOREIGN KEY ("tenant_id","plant_id","package_id") REFERENCES "public"."packages"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_shipment_fk" FOREIGN KEY ("tenant_id","plant_id","shipment_id") REFERENCES "public"."shipments"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "barcode_labels" ADD CONSTRAINT "barcode_labels_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_prints" ADD CONSTRAINT "label_prints_label_fk" FOREIGN KEY ("tenant_id","plant_id","label_id") REFERENCES "public"."barcode_labels"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_prints" ADD CONSTRAINT "label_prints_printer_fk" FOREIGN KEY ("tenant_id","plant_id","printer_id") REFERENCES "public"."printers"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_prints" ADD CONSTRAINT "label_prints_requested_by_fk" FOREIGN KEY ("tenant_id","requested_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_templates" ADD CONSTRAINT "label_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "printers" ADD CONSTRAINT "printers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "printers" ADD CONSTRAINT "printers_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_contents" ADD CONSTRAINT "package_contents_package_fk" FOREIGN KEY ("tenant_id","plant_id","package_id") REFERENCES "public"."packages"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_contents" ADD CONSTRAINT "package_contents_item_fk" FOREIGN KEY ("tenant_id","plant_id","shipment_item_id") REFERENCES "public"."shipment_items"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_contents" ADD CONSTRAINT "package_contents_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_contents" ADD CONSTRAINT "package_contents_packed_by_fk" FOREIGN KEY ("tenant_id","packed_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_shipment_fk" FOREIGN KEY ("tenant_id","plant_id","shipment_id") REFERENCES "public"."shipments"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_parent_fk" FOREIGN KEY ("tenant_id","plant_id","parent_id") REFERENCES "public"."packages"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packing_scans" ADD CONSTRAINT "packing_scans_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packing_scans" ADD CONSTRAINT "packing_scans_station_fk" FOREIGN KEY ("tenant_id","station_id") REFERENCES "public"."stations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_shipment_fk" FOREIGN KEY ("tenant_id","plant_id","shipment_id") REFERENCES "public"."shipments"("tenant_id","plant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_request_fk" FOREIGN KEY ("tenant_id","plant_id","delivery_request_id") REFERENCES "public"."delivery_requests"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_backorder_fk" FOREIGN KEY ("tenant_id","plant_id","backorder_of_item_id") REFERENCES "public"."shipment_items"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_plant_fk" FOREIGN KEY ("tenant_id","plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_customer_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_ship_to_fk" FOREIGN KEY ("tenant_id","customer_id","ship_to_id") REFERENCES "public"."customer_addresses"("tenant_id","customer_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_carrier_fk" FOREIGN KEY ("tenant_id","carrier_id") REFERENCES "public"."carriers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_backorder_fk" FOREIGN KEY ("tenant_id","plant_id","backorder_of_id") REFERENCES "public"."shipments"("tenant_id","plant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sscc_sequences" ADD CONSTRAINT "sscc_sequences_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_items" ADD CONSTRAINT "transfer_items_order_fk" FOREIGN KEY ("tenant_id","transfer_order_id") REFERENCES "public"."transfer_orders"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_items" ADD CONSTRAINT "transfer_items_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_orders" ADD CONSTRAINT "transfer_orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_orders" ADD CONSTRAINT "transfer_orders_from_plant_fk" FOREIGN KEY ("tenant_id","from_plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_orders" ADD CONSTRAINT "transfer_orders_to_plant_fk" FOREIGN KEY ("tenant_id","to_plant_id") REFERENCES "public"."plants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_orders" ADD CONSTRAINT "transfer_orders_carrier_fk" FOREIGN KEY ("tenant_id","carrier_id") REFERENCES "public"."carriers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_orders" ADD CONSTRAINT "transfer_orders_created_by_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_receipts" ADD CONSTRAINT "transfer_receipts_order_fk" FOREIGN KEY ("tenant_id","transfer_order_id") REFERENCES "public"."transfer_orders"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_receipts" ADD CONSTRAINT "transfer_receipts_package_fk" FOREIGN KEY ("tenant_id","package_id") REFERENCES "public"."packages"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_receipts" ADD CONSTRAINT "transfer_receipts_item_fk" FOREIGN KEY ("tenant_id","transfer_item_id") REFERENCES "public"."transfer_items"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_receipts" ADD CONSTRAINT "transfer_receipts_received_by_fk" FOREIGN KEY ("tenant_id","received_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_addresses_customer_idx" ON "customer_addresses" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "delivery_promises_request_idx" ON "delivery_promises" USING btree ("tenant_id","plant_id","request_id","promised_at");--> statement-breakpoint
CREATE INDEX "delivery_promises_promised_by_idx" ON "delivery_promises" USING btree ("tenant_id","promised_by");--> statement-breakpoint
CREATE INDEX "delivery_requests_due_idx" ON "delivery_requests" USING btree ("tenant_id","plant_id","status","requested_date");--> statement-breakpoint
CREATE INDEX "delivery_requests_customer_idx" ON "delivery_requests" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "delivery_requests_ship_to_idx" ON "delivery_requests" USING btree ("tenant_id","customer_id","ship_to_id");--> statement-breakpoint
CREATE INDEX "delivery_requests_product_idx" ON "delivery_requests" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "delivery_requests_created_by_idx" ON "delivery_requests" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "barcode_labels_package_idx" ON "barcode_labels" USING btree ("tenant_id","plant_id","package_id");--> statement-breakpoint
CREATE INDEX "barcode_labels_shipment_idx" ON "barcode_labels" USING btree ("tenant_id","plant_id","shipment_id");--> statement-breakpoint
CREATE INDEX "barcode_labels_sscc_idx" ON "barcode_labels" USING btree ("tenant_id","sscc");--> statement-breakpoint
CREATE INDEX "barcode_labels_template_idx" ON "barcode_labels" USING btree ("tenant_id","template_id");--> statement-breakpoint
CREATE INDEX "barcode_labels_created_by_idx" ON "barcode_labels" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "label_prints_label_idx" ON "label_prints" USING btree ("tenant_id","plant_id","label_id");--> statement-breakpoint
CREATE INDEX "label_prints_queue_idx" ON "label_prints" USING btree ("tenant_id","plant_id","status","requested_at");--> statement-breakpoint
CREATE INDEX "label_prints_printer_idx" ON "label_prints" USING btree ("tenant_id","plant_id","printer_id");--> statement-breakpoint
CREATE INDEX "label_prints_requested_by_idx" ON "label_prints" USING btree ("tenant_id","requested_by");--> statement-breakpoint
CREATE INDEX "package_contents_package_idx" ON "package_contents" USING btree ("tenant_id","plant_id","package_id");--> statement-breakpoint
CREATE INDEX "package_contents_item_idx" ON "package_contents" USING btree ("tenant_id","plant_id","shipment_item_id");--> statement-breakpoint
CREATE INDEX "package_contents_transfer_item_idx" ON "package_contents" USING btree ("tenant_id","transfer_item_id");--> statement-breakpoint
CREATE INDEX "package_contents_lot_idx" ON "package_contents" USING btree ("tenant_id","product_id","lot");--> statement-breakpoint
CREATE INDEX "package_contents_packed_by_idx" ON "package_contents" USING btree ("tenant_id","packed_by");--> statement-breakpoint
CREATE UNIQUE INDEX "package_contents_serial_key" ON "package_contents" USING btree ("tenant_id","product_id","serial") WHERE "package_contents"."serial" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "package_contents_scan_key" ON "package_contents" USING btree ("tenant_id","scan_event_id") WHERE "package_contents"."scan_event_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "packages_sscc_key" ON "packages" USING btree ("tenant_id","sscc");--> statement-breakpoint
CREATE INDEX "packages_shipment_idx" ON "packages" USING btree ("tenant_id","plant_id","shipment_id");--> statement-breakpoint
CREATE INDEX "packages_transfer_idx" ON "packages" USING btree ("tenant_id","transfer_order_id");--> statement-breakpoint
CREATE INDEX "packages_parent_idx" ON "packages" USING btree ("tenant_id","plant_id","parent_id");--> statement-breakpoint
CREATE INDEX "packages_to_plant_idx" ON "packages" USING btree ("tenant_id","to_plant_id");--> statement-breakpoint
CREATE INDEX "packages_created_by_idx" ON "packages" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "packing_scans_shipment_idx" ON "packing_scans" USING btree ("tenant_id","plant_id","shipment_id","at");--> statement-breakpoint
CREATE INDEX "packing_scans_transfer_idx" ON "packing_scans" USING btree ("tenant_id","transfer_order_id","at");--> statement-breakpoint
CREATE INDEX "packing_scans_station_idx" ON "packing_scans" USING btree ("tenant_id","station_id","at");--> statement-breakpoint
CREATE INDEX "shipment_items_shipment_idx" ON "shipment_items" USING btree ("tenant_id","plant_id","shipment_id");--> statement-breakpoint
CREATE INDEX "shipment_items_request_idx" ON "shipment_items" USING btree ("tenant_id","plant_id","delivery_request_id");--> statement-breakpoint
CREATE INDEX "shipment_items_product_idx" ON "shipment_items" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "shipment_items_backorder_idx" ON "shipment_items" USING btree ("tenant_id","plant_id","backorder_of_item_id");--> statement-breakpoint
CREATE INDEX "shipments_plant_status_idx" ON "shipments" USING btree ("tenant_id","plant_id","status","planned_ship_date");--> statement-breakpoint
CREATE INDEX "shipments_created_idx" ON "shipments" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shipments_customer_idx" ON "shipments" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "shipments_ship_to_idx" ON "shipments" USING btree ("tenant_id","customer_id","ship_to_id");--> statement-breakpoint
CREATE INDEX "shipments_carrier_idx" ON "shipments" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE INDEX "shipments_shipped_idx" ON "shipments" USING btree ("tenant_id","plant_id","shipped_at");--> statement-breakpoint
CREATE INDEX "shipments_backorder_idx" ON "shipments" USING btree ("tenant_id","plant_id","backorder_of_id");--> statement-breakpoint
CREATE INDEX "shipments_created_by_idx" ON "shipments" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "transfer_items_product_idx" ON "transfer_items" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "transfer_orders_from_idx" ON "transfer_orders" USING btree ("tenant_id","from_plant_id","status");--> statement-breakpoint
CREATE INDEX "transfer_orders_to_idx" ON "transfer_orders" USING btree ("tenant_id","to_plant_id","status");--> statement-breakpoint
CREATE INDEX "transfer_orders_created_idx" ON "transfer_orders" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfer_orders_carrier_idx" ON "transfer_orders" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE INDEX "transfer_orders_created_by_idx" ON "transfer_orders" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "transfer_receipts_order_idx" ON "transfer_receipts" USING btree ("tenant_id","transfer_order_id","received_at");--> statement-breakpoint
CREATE INDEX "transfer_receipts_package_idx" ON "transfer_receipts" USING btree ("tenant_id","package_id");--> statement-breakpoint
CREATE INDEX "transfer_receipts_item_idx" ON "transfer_receipts" USING btree ("tenant_id","transfer_item_id");--> statement-breakpoint
CREATE INDEX "transfer_receipts_received_by_idx" ON "transfer_receipts" USING btree ("tenant_id","received_by");--> statement-breakpoint
CREATE UNIQUE INDEX "products_gtin_key" ON "products" USING btree ("tenant_id","gtin");--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_gtin_check" CHECK ("products"."gtin" is null or "products"."gtin" ~ '^[0-9]{14}$');