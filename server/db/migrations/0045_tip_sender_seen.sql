ALTER TABLE "tips" ADD COLUMN "staff_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "submitter_seen_at" timestamp with time zone;