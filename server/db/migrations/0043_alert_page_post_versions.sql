DROP INDEX "channel_alert_posts_once_key";--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD COLUMN "msg_type" text DEFAULT 'Alert' NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD COLUMN "reach_read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD COLUMN "reach_error_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_alert_posts_once_key" ON "channel_alert_posts" USING btree ("alert_id","account_id","version");