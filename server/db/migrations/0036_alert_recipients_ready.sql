ALTER TABLE "alerts" ADD COLUMN "recipients_ready_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "alerts_awaiting_recipients_idx" ON "alerts" USING btree ("published_at") WHERE "alerts"."recipients_ready_at" is null and "alerts"."published_at" is not null;--> statement-breakpoint
-- Alerts published before this migration wrote their recipient rows while publishing.
UPDATE "alerts" SET "recipients_ready_at" = "published_at" WHERE "published_at" IS NOT NULL;
