CREATE TABLE "upload_budgets" (
	"scope" text NOT NULL,
	"day" date NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "upload_budgets_scope_day_pk" PRIMARY KEY("scope","day")
);
--> statement-breakpoint
CREATE INDEX "evidence_files_tip_message_idx" ON "evidence_files" USING btree ("tip_message_id");