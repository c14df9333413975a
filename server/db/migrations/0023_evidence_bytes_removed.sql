ALTER TABLE "evidence_files" ADD COLUMN "bytes_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "bytes_removed_reason" text;