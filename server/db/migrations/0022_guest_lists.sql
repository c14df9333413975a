CREATE TABLE "guest_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reporter_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"address" text NOT NULL,
	"source" text NOT NULL,
	"client_key" text NOT NULL,
	"guest_count" integer NOT NULL,
	"foreign_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guest_lists" ADD CONSTRAINT "guest_lists_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guest_lists" ADD CONSTRAINT "guest_lists_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "guest_lists_client_key" ON "guest_lists" USING btree ("reporter_id","client_key");--> statement-breakpoint
ALTER TABLE "residence_reports" ADD CONSTRAINT "residence_reports_guest_list_id_guest_lists_id_fk" FOREIGN KEY ("guest_list_id") REFERENCES "public"."guest_lists"("id") ON DELETE no action ON UPDATE no action;