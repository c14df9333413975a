CREATE TABLE "channel_alert_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"external_post_id" text,
	"reach" integer,
	"error_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channel_link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"contact_id" uuid
);
--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD CONSTRAINT "channel_alert_posts_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_alert_posts" ADD CONSTRAINT "channel_alert_posts_account_id_channel_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."channel_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_link_codes" ADD CONSTRAINT "channel_link_codes_resident_id_users_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_link_codes" ADD CONSTRAINT "channel_link_codes_contact_id_external_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."external_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_alert_posts_once_key" ON "channel_alert_posts" USING btree ("alert_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_link_codes_hash_key" ON "channel_link_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "channel_link_codes_resident_idx" ON "channel_link_codes" USING btree ("resident_id","created_at");