CREATE TABLE "retention_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"clock" timestamp with time zone NOT NULL,
	"removed" integer NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "retention_runs_rule_idx" ON "retention_runs" USING btree ("rule","ran_at");