ALTER TABLE "system_settings" ADD COLUMN "logo" "bytea";--> statement-breakpoint
ALTER TABLE "system_settings" ADD COLUMN "logo_type" text;--> statement-breakpoint
ALTER TABLE "system_settings" ADD COLUMN "logo_sha256" text;--> statement-breakpoint
ALTER TABLE "system_settings" ADD COLUMN "logo_width" integer;--> statement-breakpoint
ALTER TABLE "system_settings" ADD COLUMN "logo_height" integer;--> statement-breakpoint
ALTER TABLE "system_settings" ADD COLUMN "logo_updated_at" timestamp with time zone;