CREATE TABLE "scam_number_alerts" (
	"alert_id" uuid PRIMARY KEY NOT NULL,
	"number_id" uuid NOT NULL,
	"report_ids" uuid[] NOT NULL,
	"raised_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scam_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"status" text DEFAULT 'reported' NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scam_numbers_phone_unique" UNIQUE("phone")
);
--> statement-breakpoint
CREATE TABLE "scam_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number_id" uuid NOT NULL,
	"reporter_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"province_id" uuid NOT NULL,
	"claimed_as" text NOT NULL,
	"called_at" timestamp with time zone NOT NULL,
	"amount_vnd" bigint,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"client_key" text NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scam_number_alerts" ADD CONSTRAINT "scam_number_alerts_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_number_alerts" ADD CONSTRAINT "scam_number_alerts_number_id_scam_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."scam_numbers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_number_alerts" ADD CONSTRAINT "scam_number_alerts_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_numbers" ADD CONSTRAINT "scam_numbers_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_reports" ADD CONSTRAINT "scam_reports_number_id_scam_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."scam_numbers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_reports" ADD CONSTRAINT "scam_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_reports" ADD CONSTRAINT "scam_reports_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_reports" ADD CONSTRAINT "scam_reports_province_id_units_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scam_reports" ADD CONSTRAINT "scam_reports_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scam_number_alerts_number_idx" ON "scam_number_alerts" USING btree ("number_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scam_reports_client_key" ON "scam_reports" USING btree ("reporter_id","client_key");--> statement-breakpoint
CREATE INDEX "scam_reports_number_idx" ON "scam_reports" USING btree ("number_id","created_at");--> statement-breakpoint
CREATE INDEX "scam_reports_area_path_idx" ON "scam_reports" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "scam_reports_pending_idx" ON "scam_reports" USING btree ("created_at") WHERE "scam_reports"."status" = 'pending';