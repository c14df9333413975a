CREATE TABLE "register_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"change" text NOT NULL,
	"from_date" date,
	"until_date" date,
	"report_id" uuid,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"address" text NOT NULL,
	"address_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"full_name" text NOT NULL,
	"id_kind" text NOT NULL,
	"id_number" text NOT NULL,
	"nationality" text,
	"is_foreign" boolean DEFAULT false NOT NULL,
	"residence" text NOT NULL,
	"from_date" date,
	"until_date" date,
	"away_from" date,
	"away_until" date,
	"away_destination" text,
	"ended_on" date,
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "residence_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reporter_capacity" text NOT NULL,
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"address" text NOT NULL,
	"full_name" text NOT NULL,
	"id_kind" text NOT NULL,
	"id_number" text NOT NULL,
	"nationality" text,
	"is_foreign" boolean DEFAULT false NOT NULL,
	"relation" text,
	"from_date" date NOT NULL,
	"to_date" date,
	"arrival_time" text,
	"destination" text,
	"reason" text,
	"note" text,
	"guest_list_id" uuid,
	"due_at" timestamp with time zone,
	"is_late" boolean DEFAULT false NOT NULL,
	"review_due_at" timestamp with time zone NOT NULL,
	"client_key" text NOT NULL,
	"reviewer_id" uuid,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "register_events" ADD CONSTRAINT "register_events_person_id_register_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."register_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_events" ADD CONSTRAINT "register_events_report_id_residence_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."residence_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_events" ADD CONSTRAINT "register_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_households" ADD CONSTRAINT "register_households_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_people" ADD CONSTRAINT "register_people_household_id_register_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."register_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_people" ADD CONSTRAINT "register_people_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residence_reports" ADD CONSTRAINT "residence_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residence_reports" ADD CONSTRAINT "residence_reports_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residence_reports" ADD CONSTRAINT "residence_reports_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "register_events_person_idx" ON "register_events" USING btree ("person_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "register_households_address_key" ON "register_households" USING btree ("area_id","address_key");--> statement-breakpoint
CREATE INDEX "register_households_area_path_idx" ON "register_households" USING btree ("area_path" text_pattern_ops,"address_key");--> statement-breakpoint
CREATE INDEX "register_people_household_idx" ON "register_people" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "register_people_id_number_idx" ON "register_people" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "register_people_area_until_idx" ON "register_people" USING btree ("area_path" text_pattern_ops,"until_date");--> statement-breakpoint
CREATE INDEX "register_people_search_trgm_idx" ON "register_people" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "residence_reports_client_key" ON "residence_reports" USING btree ("reporter_id","client_key");--> statement-breakpoint
CREATE INDEX "residence_reports_area_status_idx" ON "residence_reports" USING btree ("area_path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "residence_reports_id_number_idx" ON "residence_reports" USING btree ("id_number");--> statement-breakpoint
CREATE INDEX "residence_reports_reporter_idx" ON "residence_reports" USING btree ("reporter_id","created_at");