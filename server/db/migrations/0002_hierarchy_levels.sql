CREATE TABLE "hierarchy_levels" (
	"key" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"label_vi" text NOT NULL,
	"label_en" text NOT NULL,
	"kinds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hierarchy_levels_position_key" ON "hierarchy_levels" USING btree ("position");