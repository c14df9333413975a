CREATE TABLE "officer_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"storage_key" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"refusal_reason" text
);
--> statement-breakpoint
ALTER TABLE "officer_photos" ADD CONSTRAINT "officer_photos_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_photos" ADD CONSTRAINT "officer_photos_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_photos" ADD CONSTRAINT "officer_photos_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "officer_photos_user_idx" ON "officer_photos" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "officer_photos_unit_path_idx" ON "officer_photos" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "officer_photos_one_pending_key" ON "officer_photos" USING btree ("user_id") WHERE "officer_photos"."state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "officer_photos_one_approved_key" ON "officer_photos" USING btree ("user_id") WHERE "officer_photos"."state" = 'approved';