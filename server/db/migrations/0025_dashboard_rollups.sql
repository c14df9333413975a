CREATE TABLE "dashboard_reach_daily" (
	"area_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"day" date NOT NULL,
	"reached" integer NOT NULL,
	CONSTRAINT "dashboard_reach_daily_area_id_day_pk" PRIMARY KEY("area_id","day")
);
--> statement-breakpoint
CREATE TABLE "dashboard_rollups" (
	"name" text PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dashboard_reach_daily" ADD CONSTRAINT "dashboard_reach_daily_area_id_units_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboard_reach_daily_path_idx" ON "dashboard_reach_daily" USING btree ("area_path" text_pattern_ops,"day");--> statement-breakpoint
CREATE INDEX "messages_conversation_created_idx" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_conversation_hidden_idx" ON "messages" USING btree ("conversation_id","hidden_at") WHERE "messages"."hidden_at" is not null;